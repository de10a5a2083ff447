package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// cloud is one test's table, bus and the queue a rule on the bus feeds, so
// that the test reads the alerts EventBridge actually delivered.
type cloud struct {
	db    *dynamodb.Client
	bus   *eventbridge.Client
	queue *sqs.Client
	table string
	name  string // bus name
	qURL  string
}

var cloudSeq atomic.Int32

func newCloud(t *testing.T) *cloud {
	t.Helper()
	cfg := testcloud.Shared(t).Config()
	n := cloudSeq.Add(1)
	c := &cloud{db: dynamodb.NewFromConfig(cfg), bus: eventbridge.NewFromConfig(cfg),
		queue: sqs.NewFromConfig(cfg), table: fmt.Sprintf("aims-state-%d", n),
		name: fmt.Sprintf("aims-alerts-%d", n)}
	ctx := t.Context()
	_, err := c.db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(c.table),
		BillingMode: dbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []dbtypes.AttributeDefinition{{AttributeName: aws.String("id"),
			AttributeType: dbtypes.ScalarAttributeTypeS}},
		KeySchema: []dbtypes.KeySchemaElement{{AttributeName: aws.String("id"),
			KeyType: dbtypes.KeyTypeHash}},
	})
	must(t, "create table", err)
	c.wireBus(t)
	return c
}

func (c *cloud) wireBus(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	_, err := c.bus.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(c.name)})
	must(t, "create bus", err)
	q, err := c.queue.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(c.name)})
	must(t, "create queue", err)
	c.qURL = aws.ToString(q.QueueUrl)
	attrs, err := c.queue.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	must(t, "queue arn", err)
	_, err = c.bus.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("to-queue"),
		EventBusName: aws.String(c.name), EventPattern: aws.String(`{"source":["aimsaudit"]}`)})
	must(t, "put rule", err)
	_, err = c.bus.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("to-queue"),
		EventBusName: aws.String(c.name),
		Targets: []ebtypes.Target{{Id: aws.String("q"),
			Arn: aws.String(attrs.Attributes["QueueArn"])}}})
	must(t, "put targets", err)
}

func (c *cloud) notifier(dryRun bool) *Notifier {
	return NewNotifier(c.db, c.table, c.bus, c.name, dryRun)
}

// delivered is an event as the queue received it.
type delivered struct {
	Source     string          `json:"source"`
	DetailType string          `json:"detail-type"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// alerts drains the queue and returns the finding events, by finding id.
func (c *cloud) alerts(t *testing.T) map[string][]FindingDetail {
	t.Helper()
	out := map[string][]FindingDetail{}
	for _, e := range c.drain(t) {
		if e.Source != Source || e.DetailType != DetailTypeFinding {
			t.Errorf("got event %s/%s, want %s/%s", e.Source, e.DetailType, Source, DetailTypeFinding)
			continue
		}
		var d FindingDetail
		must(t, "decode detail", json.Unmarshal(e.Detail, &d))
		out[d.Finding.ID] = append(out[d.Finding.ID], d)
	}
	return out
}

func (c *cloud) drain(t *testing.T) []delivered {
	t.Helper()
	var all []delivered
	for {
		out, err := c.queue.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(c.qURL), MaxNumberOfMessages: 10, VisibilityTimeout: 60})
		must(t, "receive", err)
		if len(out.Messages) == 0 {
			return all
		}
		for _, m := range out.Messages {
			var e delivered
			must(t, "decode event", json.Unmarshal([]byte(aws.ToString(m.Body)), &e))
			all = append(all, e)
			_, err := c.queue.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{
				QueueUrl: aws.String(c.qURL), ReceiptHandle: m.ReceiptHandle})
			must(t, "delete message", err)
		}
	}
}

// stateOf returns the stored status of a finding, "" when there is none.
func (c *cloud) stateOf(t *testing.T, id string) (status, runID string) {
	t.Helper()
	out, err := c.db.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(c.table),
		Key: key(id), ConsistentRead: aws.Bool(true)})
	must(t, "get item", err)
	r, err := decode(out.Item)
	must(t, "decode item", err)
	if r == nil {
		return "", ""
	}
	return string(r.Status), r.RunID
}

func must(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

var at = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func finding(resource string, s findings.Status) findings.Finding {
	return findings.New("exposure.s3-bucket", resource, "", "credit-risk", s, at)
}

func report(t *testing.T, n *Notifier, runID string, fs ...findings.Finding) int {
	t.Helper()
	sent, err := n.Report(t.Context(), runID, fs)
	must(t, "report "+runID, err)
	return sent
}

func wantOne(t *testing.T, got map[string][]FindingDetail, f findings.Finding,
	prev findings.Status) FindingDetail {
	t.Helper()
	ds := got[f.ID]
	if len(ds) != 1 {
		t.Fatalf("got %d alerts for %s, want 1 (all: %v)", len(ds), f.Resource, got)
	}
	d := ds[0]
	gotPrev := findings.Status("")
	if d.PreviousStatus != nil {
		gotPrev = *d.PreviousStatus
	}
	if d.Finding.Status != f.Status || gotPrev != prev {
		t.Errorf("got status %s after %q, want %s after %q", d.Finding.Status, gotPrev,
			f.Status, prev)
	}
	return d
}

func TestNewFailAlertsOnce(t *testing.T) {
	c := newCloud(t)
	n := c.notifier(false)
	f := finding("s3://credit-risk-eval", findings.Fail)
	if sent := report(t, n, "run-1", f); sent != 1 {
		t.Errorf("first report: got %d sent, want 1", sent)
	}
	d := wantOne(t, c.alerts(t), f, "")
	if d.RunID != "run-1" || d.DryRun || d.Finding.Resource != f.Resource {
		t.Errorf("got detail %+v, want run-1, dryRun false, resource %s", d, f.Resource)
	}
	if sent := report(t, n, "run-2", f); sent != 0 {
		t.Errorf("same state again: got %d sent, want 0", sent)
	}
	if got := c.alerts(t); len(got) != 0 {
		t.Errorf("same state again: got alerts %v, want none", got)
	}
	if status, run := c.stateOf(t, f.ID); status != "fail" || run != "run-1" {
		t.Errorf("got state %s from %s, want fail from run-1", status, run)
	}
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		name     string
		before   findings.Status // reported first; "" for no history
		now      findings.Status
		alert    bool
		previous findings.Status
		state    string // stored afterwards
	}{
		{"fail to indeterminate", findings.Fail, findings.Indeterminate, true, "fail", "indeterminate"},
		{"latent to fail", findings.Latent, findings.Fail, true, "latent", "fail"},
		{"fail to pass", findings.Fail, findings.Pass, true, "fail", ""},
		{"indeterminate to pass", findings.Indeterminate, findings.Pass, true, "indeterminate", ""},
		{"pass with no history", "", findings.Pass, false, "", ""},
		{"not applicable with no history", "", findings.NotApplicable, false, "", ""},
		{"fail to not applicable", findings.Fail, findings.NotApplicable, false, "", "fail"},
		{"new latent", "", findings.Latent, true, "", "latent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCloud(t)
			n := c.notifier(false)
			if tt.before != "" {
				report(t, n, "run-1", finding("s3://b", tt.before))
				c.alerts(t)
			}
			f := finding("s3://b", tt.now)
			sent := report(t, n, "run-2", f)
			got := c.alerts(t)
			if tt.alert {
				wantOne(t, got, f, tt.previous)
			} else if len(got) != 0 || sent != 0 {
				t.Errorf("got %d sent, alerts %v, want none", sent, got)
			}
			if status, _ := c.stateOf(t, f.ID); status != tt.state {
				t.Errorf("got state %q, want %q", status, tt.state)
			}
		})
	}
}

func TestReturnToPassAlertsOnce(t *testing.T) {
	c := newCloud(t)
	n := c.notifier(false)
	report(t, n, "run-1", finding("s3://b", findings.Fail))
	c.alerts(t)
	pass := finding("s3://b", findings.Pass)
	if sent := report(t, n, "run-2", pass); sent != 1 {
		t.Errorf("back to pass: got %d sent, want 1", sent)
	}
	wantOne(t, c.alerts(t), pass, findings.Fail)
	if sent := report(t, n, "run-3", pass); sent != 0 {
		t.Errorf("pass again: got %d sent, want 0", sent)
	}
	if got := c.alerts(t); len(got) != 0 {
		t.Errorf("pass again: got alerts %v, want none", got)
	}
}

// TestConcurrentReportsAlertOnce delivers the same findings to several
// notifiers at once, as a duplicated trigger would.
func TestConcurrentReportsAlertOnce(t *testing.T) {
	c := newCloud(t)
	fs := []findings.Finding{finding("s3://a", findings.Fail),
		finding("s3://b", findings.Latent), finding("s3://c", findings.Indeterminate)}
	var total atomic.Int32
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent, err := c.notifier(false).Report(context.Background(), "run-1", fs)
			if err != nil {
				t.Errorf("report: %v", err)
			}
			total.Add(int32(sent))
		}()
	}
	wg.Wait()
	got := c.alerts(t)
	for _, f := range fs {
		wantOne(t, got, f, "")
	}
	if total.Load() != int32(len(fs)) {
		t.Errorf("got %d sent in total, want %d", total.Load(), len(fs))
	}
}

func TestDryRunAlertsAndLeavesStateAlone(t *testing.T) {
	c := newCloud(t)
	dry := c.notifier(true)
	f := finding("s3://new", findings.Fail)
	for _, run := range []string{"dry-1", "dry-2"} {
		if sent := report(t, dry, run, f); sent != 1 {
			t.Errorf("%s: got %d sent, want 1 (state untouched, so still news)", run, sent)
		}
		if d := wantOne(t, c.alerts(t), f, ""); !d.DryRun {
			t.Errorf("%s: got dryRun false, want true", run)
		}
		if status, _ := c.stateOf(t, f.ID); status != "" {
			t.Errorf("%s: got state %q, want none", run, status)
		}
	}

	known := finding("s3://known", findings.Fail)
	report(t, c.notifier(false), "run-1", known)
	c.alerts(t)
	if sent := report(t, dry, "dry-3", known); sent != 0 {
		t.Errorf("dry run of a reported fail: got %d sent, want 0", sent)
	}
	pass := finding("s3://known", findings.Pass)
	report(t, dry, "dry-4", pass)
	wantOne(t, c.alerts(t), pass, findings.Fail)
	if status, run := c.stateOf(t, known.ID); status != "fail" || run != "run-1" {
		t.Errorf("after dry runs: got state %s from %s, want fail from run-1", status, run)
	}
}

func TestEventsCarryTheResourceARN(t *testing.T) {
	c := newCloud(t)
	arn := "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/3"
	f := findings.New("impact-assessment.present", arn, "", "credit-risk", findings.Fail, at)
	report(t, c.notifier(false), "run-1", f)
	events := c.drain(t)
	if len(events) != 1 || len(events[0].Resources) != 1 || events[0].Resources[0] != arn {
		t.Errorf("got events %+v, want one with resources [%s]", events, arn)
	}
}

func TestClearedAnnouncesThePackage(t *testing.T) {
	c := newCloud(t)
	arn := "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/3"
	// A dry run first: it must not use up the real announcement.
	for _, dry := range []bool{true, false} {
		must(t, "cleared", c.notifier(dry).Cleared(t.Context(), arn, "credit-risk", "run-9", nil))
		events := c.drain(t)
		if len(events) != 1 || events[0].DetailType != DetailTypeCleared {
			t.Fatalf("got events %+v, want one %s", events, DetailTypeCleared)
		}
		var d ClearedDetail
		must(t, "decode", json.Unmarshal(events[0].Detail, &d))
		want := ClearedDetail{ModelPackageArn: arn, System: "credit-risk", RunID: "run-9",
			Findings: []string{}, DryRun: dry}
		if fmt.Sprint(d) != fmt.Sprint(want) || d.Findings == nil {
			t.Errorf("got %+v, want %+v", d, want)
		}
	}
}

func TestClearedAnnouncesOncePerPackage(t *testing.T) {
	c := newCloud(t)
	arn := "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/4"
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			err := c.notifier(false).Cleared(t.Context(), arn, "credit-risk", fmt.Sprintf("run-%d", i), nil)
			if err != nil {
				t.Errorf("cleared: %v", err)
			}
		})
	}
	wg.Wait()
	must(t, "again", c.notifier(false).Cleared(t.Context(), arn, "credit-risk", "run-9", nil))
	must(t, "dry", c.notifier(true).Cleared(t.Context(), arn, "credit-risk", "run-10", nil))
	if events := c.drain(t); len(events) != 1 {
		t.Errorf("got %d announcements, want 1", len(events))
	}
}
