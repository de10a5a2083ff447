// Package alert tells the GRC team about findings that need attention, once
// per change: a finding that starts failing (or becomes indeterminate or
// latent), changes between those, or returns to pass raises one EventBridge
// event, and a repeat of the same state raises none. The last reported
// state of each finding lives in a DynamoDB table, written conditionally so
// that two deliveries of one trigger, handled at the same time, alert once.
package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// Event names of CONTRACTS.md.
const (
	Source            = "aimsaudit"
	DetailTypeFinding = "AIMS Audit Finding"
	DetailTypeCleared = "AIMS Promotion Cleared"
)

// StateAPI is the part of DynamoDB the state table needs.
type StateAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput,
		opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput,
		opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput,
		opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// BusAPI is the part of EventBridge alerts need.
type BusAPI interface {
	PutEvents(ctx context.Context, in *eventbridge.PutEventsInput,
		opts ...func(*eventbridge.Options)) (*eventbridge.PutEventsOutput, error)
}

// FindingDetail is the detail of an "AIMS Audit Finding" event.
// PreviousStatus is the status last reported for the finding, null when
// none was.
type FindingDetail struct {
	Finding        findings.Finding `json:"finding"`
	PreviousStatus *findings.Status `json:"previousStatus"`
	RunID          string           `json:"runId"`
	DryRun         bool             `json:"dryRun"`
}

// ClearedDetail is the detail of an "AIMS Promotion Cleared" event.
type ClearedDetail struct {
	ModelPackageArn string   `json:"modelPackageArn"`
	System          string   `json:"system"`
	RunID           string   `json:"runId"`
	Findings        []string `json:"findings"`
	DryRun          bool     `json:"dryRun"`
}

// claimLimit bounds the state-table writes in flight for one Report.
const claimLimit = 8

// Notifier reports findings to the GRC bus. It is safe for concurrent use.
type Notifier struct {
	state   StateAPI
	table   string
	bus     BusAPI
	busName string
	dryRun  bool
	now     func() time.Time
}

// NewNotifier returns a notifier that keeps state in table and sends to the
// bus busName. Under dryRun it reads the state, sends events marked
// "dryRun": true, and never writes the table, so a dry run neither uses up
// an alert nor hides one from the next real run.
func NewNotifier(state StateAPI, table string, bus BusAPI, busName string,
	dryRun bool) *Notifier {
	return &Notifier{state: state, table: table, bus: bus, busName: busName,
		dryRun: dryRun, now: time.Now}
}

// pending is an alert decided on and, outside dry run, already recorded in
// the state table.
type pending struct {
	finding  findings.Finding
	previous *record // the state before, nil when there was none
	recorded bool    // the table holds this alert's state, to undo on failure
}

// Report sends one event per finding whose state changed since it was last
// reported, and returns how many the bus accepted. A finding is
// alert-worthy when it is fail, indeterminate or latent and differs from
// its last reported status, or when it is pass after a reported one.
// not_applicable findings neither alert nor change the state. When the bus
// refuses an event, the state is put back as it was and the error returned,
// so a retry of the whole Report alerts again; events already accepted stay
// sent and are not repeated by the retry. Of several findings with one id,
// the last counts.
func (n *Notifier) Report(ctx context.Context, runID string, fs []findings.Finding) (
	int, error) {
	ps, claimErr := n.claimAll(ctx, runID, lastByID(fs))
	sent, sendErr := n.send(ctx, runID, ps)
	return sent, errors.Join(claimErr, sendErr)
}

// claimAll decides, finding by finding, whether it alerts, recording the
// new state as it goes. Failures are collected, not fatal: the findings
// already claimed must still be sent.
func (n *Notifier) claimAll(ctx context.Context, runID string, fs []findings.Finding) (
	[]pending, error) {
	results := make([]*pending, len(fs))
	errs := make([]error, len(fs))
	var g errgroup.Group
	g.SetLimit(claimLimit)
	for i, f := range fs {
		g.Go(func() error {
			results[i], errs[i] = n.claim(ctx, runID, f)
			return nil
		})
	}
	_ = g.Wait()
	var ps []pending
	for _, p := range results {
		if p != nil {
			ps = append(ps, *p)
		}
	}
	return ps, errors.Join(errs...)
}

// claim returns the alert a finding raises, or nil.
func (n *Notifier) claim(ctx context.Context, runID string, f findings.Finding) (
	*pending, error) {
	if n.dryRun {
		return n.peek(ctx, f)
	}
	switch {
	case f.Status.Alerting():
		return n.recordAlerting(ctx, runID, f)
	case f.Status == findings.Pass:
		return n.recordCleared(ctx, f)
	default:
		return nil, nil
	}
}

// peek decides as claim would, from a consistent read, without writing.
func (n *Notifier) peek(ctx context.Context, f findings.Finding) (*pending, error) {
	if !f.Status.Alerting() && f.Status != findings.Pass {
		return nil, nil
	}
	prev, err := n.load(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	if !changes(f.Status, prev) {
		return nil, nil
	}
	return &pending{finding: f, previous: prev}, nil
}

// changes reports whether status is news given the last reported record.
func changes(status findings.Status, prev *record) bool {
	if status == findings.Pass {
		return prev != nil && prev.Status.Alerting()
	}
	return prev == nil || prev.Status != status
}

func lastByID(fs []findings.Finding) []findings.Finding {
	index := map[string]int{}
	var out []findings.Finding
	for _, f := range fs {
		if i, ok := index[f.ID]; ok {
			out[i] = f
			continue
		}
		index[f.ID] = len(out)
		out = append(out, f)
	}
	return out
}

func (p pending) detail(runID string, dryRun bool) ([]byte, error) {
	d := FindingDetail{Finding: p.finding, RunID: runID, DryRun: dryRun}
	if p.previous != nil {
		s := p.previous.Status
		d.PreviousStatus = &s
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encode alert of finding %s: %w", p.finding.ID, err)
	}
	return b, nil
}
