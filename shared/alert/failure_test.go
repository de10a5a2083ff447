package alert

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// faultyBus passes calls to the emulator's bus, except that it fails whole
// calls while down is set, and refuses the entries whose finding resource
// is in refuse, answering for them as EventBridge does for a failed entry.
type faultyBus struct {
	real   BusAPI
	down   bool
	refuse map[string]bool
	cancel context.CancelFunc // called before failing, as a deadline would

	mu    sync.Mutex
	calls []int // entries per call that reached the bus
}

func (b *faultyBus) PutEvents(ctx context.Context, in *eventbridge.PutEventsInput,
	opts ...func(*eventbridge.Options)) (*eventbridge.PutEventsOutput, error) {
	if b.cancel != nil {
		b.cancel()
		return nil, ctx.Err()
	}
	if b.down {
		return nil, errors.New("connection reset")
	}
	results := make([]types.PutEventsResultEntry, len(in.Entries))
	var pass []types.PutEventsRequestEntry
	var where []int
	for i, e := range in.Entries {
		if b.refuse[resourceOf(e)] {
			results[i] = types.PutEventsResultEntry{ErrorCode: aws.String("InternalFailure"),
				ErrorMessage: aws.String("injected")}
			continue
		}
		pass = append(pass, e)
		where = append(where, i)
	}
	b.mu.Lock()
	b.calls = append(b.calls, len(pass))
	b.mu.Unlock()
	out, err := b.real.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: pass}, opts...)
	if err != nil {
		return nil, err
	}
	for j, r := range out.Entries {
		results[where[j]] = r
	}
	return &eventbridge.PutEventsOutput{Entries: results,
		FailedEntryCount: int32(len(in.Entries)-len(pass)) + out.FailedEntryCount}, nil
}

func resourceOf(e types.PutEventsRequestEntry) string {
	var d FindingDetail
	if err := json.Unmarshal([]byte(aws.ToString(e.Detail)), &d); err != nil {
		return ""
	}
	return d.Finding.Resource
}

func TestFailedCallRestoresState(t *testing.T) {
	c := newCloud(t)
	bus := &faultyBus{real: c.bus, down: true}
	broken := NewNotifier(c.db, c.table, bus, c.name, false)
	healthy := c.notifier(false)

	fresh := finding("s3://fresh", findings.Fail)
	known := finding("s3://known", findings.Fail)
	cleared := finding("s3://cleared", findings.Fail)
	report(t, healthy, "run-1", known, cleared)
	c.alerts(t)

	changed := finding("s3://known", findings.Latent)
	passing := finding("s3://cleared", findings.Pass)
	sent, err := broken.Report(t.Context(), "run-2", []findings.Finding{fresh, changed, passing})
	if err == nil || sent != 0 {
		t.Fatalf("got %d sent, error %v, want 0 and the bus error", sent, err)
	}
	for _, tt := range []struct {
		f          findings.Finding
		state, run string
	}{{fresh, "", ""}, {known, "fail", "run-1"}, {cleared, "fail", "run-1"}} {
		if status, run := c.stateOf(t, tt.f.ID); status != tt.state || run != tt.run {
			t.Errorf("%s: got state %q from %q, want %q from %q", tt.f.Resource, status, run,
				tt.state, tt.run)
		}
	}

	if sent := report(t, healthy, "run-2", fresh, changed, passing); sent != 3 {
		t.Errorf("retry: got %d sent, want 3", sent)
	}
	got := c.alerts(t)
	wantOne(t, got, fresh, "")
	wantOne(t, got, changed, findings.Fail)
	wantOne(t, got, passing, findings.Fail)
}

func TestCancelledReportStillRestores(t *testing.T) {
	c := newCloud(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	n := NewNotifier(c.db, c.table, &faultyBus{real: c.bus, cancel: cancel}, c.name, false)
	f := finding("s3://late", findings.Fail)
	if _, err := n.Report(ctx, "run-1", []findings.Finding{f}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got error %v, want context.Canceled", err)
	}
	if status, _ := c.stateOf(t, f.ID); status != "" {
		t.Errorf("got state %q, want none: the undo must outlive the cancelled context", status)
	}
}

func TestRefusedEntryRestoresOnlyItsState(t *testing.T) {
	c := newCloud(t)
	bus := &faultyBus{real: c.bus, refuse: map[string]bool{"s3://b": true}}
	n := NewNotifier(c.db, c.table, bus, c.name, false)
	fs := []findings.Finding{finding("s3://a", findings.Fail),
		finding("s3://b", findings.Fail), finding("s3://c", findings.Fail)}
	sent, err := n.Report(t.Context(), "run-1", fs)
	if err == nil || sent != 2 {
		t.Fatalf("got %d sent, error %v, want 2 and the refusal", sent, err)
	}
	got := c.alerts(t)
	if len(got) != 2 || len(got[fs[1].ID]) != 0 {
		t.Errorf("got alerts for %d findings, want a and c only", len(got))
	}
	if status, _ := c.stateOf(t, fs[1].ID); status != "" {
		t.Errorf("refused finding: got state %q, want none", status)
	}
	if status, _ := c.stateOf(t, fs[0].ID); status != "fail" {
		t.Errorf("sent finding: got state %q, want fail", status)
	}

	if sent := report(t, c.notifier(false), "run-2", fs...); sent != 1 {
		t.Errorf("retry: got %d sent, want 1", sent)
	}
	wantOne(t, c.alerts(t), fs[1], "")
}

func TestBatchesOfTen(t *testing.T) {
	c := newCloud(t)
	bus := &faultyBus{real: c.bus}
	n := NewNotifier(c.db, c.table, bus, c.name, false)
	var fs []findings.Finding
	for i := range 21 {
		fs = append(fs, finding("s3://bucket-"+string(rune('a'+i)), findings.Fail))
	}
	if sent := report(t, n, "run-1", fs...); sent != 21 {
		t.Errorf("got %d sent, want 21", sent)
	}
	if got := c.alerts(t); len(got) != 21 {
		t.Errorf("got alerts for %d findings, want 21", len(got))
	}
	if len(bus.calls) != 3 {
		t.Errorf("got %d PutEvents calls %v, want 3", len(bus.calls), bus.calls)
	}
	for _, k := range bus.calls {
		if k > maxEntries {
			t.Errorf("got a call of %d entries, want at most %d", k, maxEntries)
		}
	}
}

func TestBatchesStayUnderTheSizeLimit(t *testing.T) {
	big := make([]outgoing, 5)
	for i := range big {
		big[i] = outgoing{size: 100 * 1024}
	}
	got := batches(big)
	if len(got) != 3 || len(got[0]) != 2 || len(got[2]) != 1 {
		t.Errorf("got batch sizes %d, want 2, 2, 1", len(got))
	}
}

func TestFailedAnnouncementCanBeRetried(t *testing.T) {
	c := newCloud(t)
	arn := "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/5"
	broken := NewNotifier(c.db, c.table, &faultyBus{real: c.bus, down: true}, c.name, false)
	if err := broken.Cleared(t.Context(), arn, "credit-risk", "run-1", nil); err == nil {
		t.Fatal("got no error from a bus that is down")
	}
	if status, _ := c.stateOf(t, clearedID(arn)); status != "" {
		t.Errorf("got claim %q left behind, want none", status)
	}
	must(t, "retry", c.notifier(false).Cleared(t.Context(), arn, "credit-risk", "run-2", nil))
	if events := c.drain(t); len(events) != 1 {
		t.Errorf("retry: got %d announcements, want 1", len(events))
	}
}
