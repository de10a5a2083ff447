// Package sweep benchmarks the posture sweep end to end against the AWS
// emulator: it seeds N buckets with a mix of public, latent and private
// settings (some with access points), sweeps them in-process as
// `aimsaudit invoke` would, and reports wall time, calls per bucket, the
// batches, and the evidence objects and manifests written.
package sweep

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"

	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
	"github.com/aimsaudit/aimsaudit/shared/sweep"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

const (
	evidenceBucket = "bench-evidence"
	stateTable     = "bench-state"
	alertBus       = "bench-grc"
)

// BenchmarkSweep sweeps 200, 1,000 and 2,000 buckets, each on a fresh emulator.
// Run it once per size: go test ./bench/sweep -run '^$' -bench . -benchtime 1x
func BenchmarkSweep(b *testing.B) {
	for _, n := range []int{200, 1000, 2000} {
		b.Run(fmt.Sprintf("buckets=%d", n), func(b *testing.B) { benchSweep(b, n) })
	}
}

func benchSweep(b *testing.B, n int) {
	moto, err := testcloud.Start(testcloud.AccountID)
	if err != nil {
		b.Fatal(err)
	}
	defer moto.Stop()
	ctx := context.Background()
	cfg := moto.Config()
	estateFor(b, ctx, cfg)
	start := time.Now()
	mix := seed(b, ctx, cfg, moto.URL, n)
	b.Logf("seeded %d buckets (%v) in %s", n, mix, time.Since(start).Round(time.Millisecond))

	var calls atomic.Int64
	counted := sweep.WithRetries(cfg)
	counted.APIOptions = append(counted.APIOptions, countCalls(&calls))
	s := newSweep(b, counted, moto.Account)

	var res *sweep.Result
	b.ResetTimer()
	for b.Loop() {
		calls.Store(0)
		if res, err = s.Run(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	report(b, ctx, cfg, res, n+1, calls.Load())
}

// report checks the evidence and prints the figures: every bucket of the
// account, the evidence bucket included, has one snapshot, and every
// batch of buckets one manifest.
func report(b *testing.B, ctx context.Context, cfg aws.Config, res *sweep.Result, buckets int,
	total int64) {
	c := res.Counts
	if c.Buckets != buckets {
		b.Fatalf("got %d buckets judged, want %d", c.Buckets, buckets)
	}
	objects := count(b, ctx, cfg, "runs/"+sweep.FunctionName+"/"+res.RunID+"/s3/")
	// The register batch keeps nothing here: the bench register is empty.
	awsBatches := (buckets + sweep.DefaultBatchSize - 1) / sweep.DefaultBatchSize
	if objects != buckets || len(res.Manifests) != awsBatches || c.Batches != awsBatches+1 {
		b.Fatalf("got %d snapshots, %d manifests, %d batches; want %d, %d, %d", objects,
			len(res.Manifests), c.Batches, buckets, awsBatches, awsBatches+1)
	}
	statuses := map[findings.Status]int{}
	for _, f := range res.Findings {
		statuses[f.Status]++
	}
	b.ReportMetric(*c.Calls.PerBucket, "bucket-calls/bucket")
	b.ReportMetric(float64(c.Calls.AccessPoints), "ap-calls")
	b.ReportMetric(float64(c.Calls.Listing), "listing-calls")
	b.ReportMetric(float64(total)/float64(buckets), "all-calls/bucket")
	b.ReportMetric(float64(c.Batches), "batches")
	b.ReportMetric(float64(objects), "snapshots")
	b.Logf("buckets %d: %d bucket calls, %d access point calls, %d listing calls, %d calls in "+
		"all (evidence, manifests and alerts included); %d batches, %d manifests, %d alerts; "+
		"statuses %v", buckets, c.Calls.Bucket, c.Calls.AccessPoints, c.Calls.Listing, total,
		c.Batches, len(res.Manifests), res.Alerts, statuses)
}

// countCalls counts every API call the clients of a configuration make,
// retries not included.
func countCalls(n *atomic.Int64) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("countCalls",
			func(ctx context.Context, in middleware.InitializeInput,
				next middleware.InitializeHandler) (middleware.InitializeOutput,
				middleware.Metadata, error) {
				n.Add(1)
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

func newSweep(b *testing.B, cfg aws.Config, account string) *sweep.Sweep {
	dir := b.TempDir()
	if err := os.MkdirAll(dir+"/systems", 0o755); err != nil {
		b.Fatal(err)
	}
	store, err := register.Open(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	home := sweep.Target{Account: account, Regions: []string{testcloud.Region}}
	return &sweep.Sweep{
		Home: home, Targets: []sweep.Target{home}, Connect: sweep.Connector(cfg),
		Register: store, InProcess: true,
		Evidence: evidence.PerAccount(func(a string) *evidence.Store {
			return evidence.NewStore(s3c, evidenceBucket, sweep.FunctionName, a)
		}),
		Alerts: alert.NewNotifier(dynamodb.NewFromConfig(cfg), stateTable,
			eventbridge.NewFromConfig(cfg), alertBus, false),
	}
}

func estateFor(b *testing.B, ctx context.Context, cfg aws.Config) {
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket: aws.String(evidenceBucket)}); err != nil {
		b.Fatal(err)
	}
	_, err := dynamodb.NewFromConfig(cfg).CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(stateTable),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"),
			AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema: []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"),
			KeyType: ddbtypes.KeyTypeHash}},
		BillingMode: ddbtypes.BillingModePayPerRequest,
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := eventbridge.NewFromConfig(cfg).CreateEventBus(ctx,
		&eventbridge.CreateEventBusInput{Name: aws.String(alertBus)}); err != nil {
		b.Fatal(err)
	}
}

func count(b *testing.B, ctx context.Context, cfg aws.Config, prefix string) int {
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	n := 0
	pages := s3.NewListObjectsV2Paginator(s3c, &s3.ListObjectsV2Input{
		Bucket: aws.String(evidenceBucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n += len(page.Contents)
	}
	return n
}
