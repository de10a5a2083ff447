package sweep

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/exposure/s3collect"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// Defaults for the batch size and the calls in flight.
const (
	DefaultBatchSize      = 100
	DefaultAzureBatchSize = 10
	DefaultConcurrency    = 16
	DefaultInFlight       = 1
)

// Notifier tells the GRC team about new and changed findings; the state
// table behind it keeps an unchanged finding from alerting twice.
type Notifier interface {
	Report(ctx context.Context, runID string, fs []findings.Finding) (int, error)
}

// BucketLister is the part of S3 that lists a target's buckets.
type BucketLister interface {
	ListBuckets(ctx context.Context, in *s3.ListBucketsInput,
		opts ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
}

// QueueAPI is the part of SQS that fans batches out.
type QueueAPI interface {
	SendMessageBatch(ctx context.Context, in *sqs.SendMessageBatchInput,
		opts ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
}

// AWSAccount is what the sweep needs of one target in one region. The
// collector is new for each batch, so that the account's Block Public
// Access is read fresh by every batch and once only.
type AWSAccount struct {
	Buckets   BucketLister
	Collector *s3collect.Collector
}

// Sweep holds the clients and settings of the posture sweep. Build it once
// per process and call Handle per invocation.
type Sweep struct {
	// Home is the function's own account and region, the default target
	// and the owner of the register's evidence.
	Home    Target
	Targets []Target
	// Connect returns the clients of a target in a region.
	Connect func(ctx context.Context, t Target, region string) (*AWSAccount, error)
	// Endpoints returns the endpoint re-check's clients of a target in a
	// region; nil leaves endpoints to the deployment check's own events.
	Endpoints func(ctx context.Context, t Target, region string) (*Endpoints, error)
	// Azure is nil when no subscription is to be swept.
	Azure *Azure
	// AzureML polls the register's Azure ML workspaces; nil leaves their
	// endpoints to the Event Grid webhook.
	AzureML  *AzureML
	Register register.Store
	// Evidence opens the evidence store of an AWS account or Azure
	// subscription.
	Evidence func(account string) *evidence.Store
	Alerts   Notifier
	// Queue and QueueURL fan batches out; without them, or with InProcess,
	// every batch is judged in this process.
	Queue     QueueAPI
	QueueURL  string
	InProcess bool

	BatchSize      int // buckets per batch; 0 means DefaultBatchSize
	AzureBatchSize int // storage accounts per batch; 0 means DefaultAzureBatchSize
	Concurrency    int // resources judged at once in a batch; 0 means DefaultConcurrency
	// InFlight is the number of batches judged at once in-process; 0 means
	// DefaultInFlight, one, which against the emulator is as fast as two,
	// the emulator being the bottleneck.
	InFlight int
	DryRun   bool
	Logger   *slog.Logger
	Now      func() time.Time // nil means time.Now
}

// Action is a change to an audited resource. The sweep makes none; the
// field is there so every function returns the same shape.
type Action struct {
	Type     string `json:"type"`
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
}

func (s *Sweep) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Sweep) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.NewJSONHandler(io.Discard, nil))
}

func (s *Sweep) batchSize() int   { return orDefault(s.BatchSize, DefaultBatchSize) }
func (s *Sweep) azureSize() int   { return orDefault(s.AzureBatchSize, DefaultAzureBatchSize) }
func (s *Sweep) concurrency() int { return orDefault(s.Concurrency, DefaultConcurrency) }
func (s *Sweep) inFlight() int    { return orDefault(s.InFlight, DefaultInFlight) }
func (s *Sweep) fansOut() bool    { return !s.InProcess && s.Queue != nil && s.QueueURL != "" }
func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// Handle runs one invocation: a whole sweep for a schedule, one batch for a
// Scheduler input that carries it, and the messages' batches for an SQS
// trigger, whose failures it reports item by item so that only they return
// to the queue.
func (s *Sweep) Handle(ctx context.Context, raw []byte) (any, error) {
	tr, err := DecodeTrigger(raw)
	if err != nil {
		return nil, err
	}
	switch {
	case tr.Messages != nil:
		return s.HandleMessages(ctx, tr.Messages), nil
	case tr.Batch != nil:
		// A batch handed in directly carries no delivery count, and
		// Lambda may deliver the same input again: each run of it gets
		// evidence of its own.
		return s.ProcessBatch(ctx, *tr.Batch, unknownAttempt)
	}
	return s.Run(ctx)
}
