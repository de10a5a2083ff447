package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// PutEvents limits: entries per call and bytes per call, counted as
// EventBridge counts them (source, detail type, detail and resources).
const (
	maxEntries = 10
	maxBytes   = 256 * 1024
)

// outgoing is one event with the alert it carries.
type outgoing struct {
	entry types.PutEventsRequestEntry
	size  int
	alert *pending // nil for a cleared announcement
}

// send puts the pending alerts on the bus in batches and undoes the state
// of every alert the bus did not take. It returns how many it took.
func (n *Notifier) send(ctx context.Context, runID string, ps []pending) (int, error) {
	var out []outgoing
	var errs []error
	for i := range ps {
		o, err := n.findingEvent(runID, &ps[i])
		if err != nil {
			errs = append(errs, err, n.undo(ctx, runID, &ps[i]))
			continue
		}
		out = append(out, o)
	}
	sent := 0
	for _, batch := range batches(out) {
		failed, err := n.put(ctx, batch)
		sent += len(batch) - len(failed)
		errs = append(errs, err)
		for _, o := range failed {
			errs = append(errs, n.undo(ctx, runID, o.alert))
		}
	}
	return sent, errors.Join(errs...)
}

// restoreTimeout bounds an undo that outlives the caller's context.
const restoreTimeout = 10 * time.Second

// undo restores the state of an alert the bus did not take. It runs even
// when the caller's context is done, since that is often why the bus call
// failed, and a state left claiming an alert nobody received loses it.
func (n *Notifier) undo(ctx context.Context, runID string, p *pending) error {
	if p == nil || !p.recorded {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
	defer cancel()
	return n.restore(ctx, runID, *p)
}

func (n *Notifier) findingEvent(runID string, p *pending) (outgoing, error) {
	detail, err := p.detail(runID, n.dryRun)
	if err != nil {
		return outgoing{}, err
	}
	var resources []string
	if strings.HasPrefix(p.finding.Resource, "arn:") {
		resources = []string{p.finding.Resource}
	}
	o := n.event(DetailTypeFinding, detail, resources)
	o.alert = p
	if o.size > maxBytes {
		return outgoing{}, fmt.Errorf("alert of finding %s: event of %d bytes exceeds %d",
			p.finding.ID, o.size, maxBytes)
	}
	return o, nil
}

func (n *Notifier) event(detailType string, detail []byte, resources []string) outgoing {
	e := types.PutEventsRequestEntry{
		Source:     aws.String(Source),
		DetailType: aws.String(detailType),
		Detail:     aws.String(string(detail)),
		Resources:  resources,
	}
	if n.busName != "" {
		e.EventBusName = aws.String(n.busName)
	}
	size := len(Source) + len(detailType) + len(detail)
	for _, r := range resources {
		size += len(r)
	}
	return outgoing{entry: e, size: size}
}

// batches groups events into PutEvents calls within both limits.
func batches(out []outgoing) [][]outgoing {
	var all [][]outgoing
	var cur []outgoing
	size := 0
	for _, o := range out {
		if len(cur) == maxEntries || (len(cur) > 0 && size+o.size > maxBytes) {
			all = append(all, cur)
			cur, size = nil, 0
		}
		cur = append(cur, o)
		size += o.size
	}
	if len(cur) > 0 {
		all = append(all, cur)
	}
	return all
}

// put sends one batch and returns the events the bus did not take: all of
// them when the call fails, otherwise those whose result entry carries an
// error code.
func (n *Notifier) put(ctx context.Context, batch []outgoing) ([]outgoing, error) {
	entries := make([]types.PutEventsRequestEntry, len(batch))
	for i, o := range batch {
		entries[i] = o.entry
	}
	out, err := n.bus.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
	if err != nil {
		return batch, fmt.Errorf("put events: %w", err)
	}
	return failedEntries(batch, out.Entries)
}

func failedEntries(batch []outgoing, results []types.PutEventsResultEntry) (
	[]outgoing, error) {
	if len(results) != len(batch) {
		return batch, fmt.Errorf("put events: %d results for %d entries", len(results), len(batch))
	}
	var failed []outgoing
	var errs []error
	for i, r := range results {
		if r.ErrorCode == nil && r.EventId != nil {
			continue
		}
		failed = append(failed, batch[i])
		errs = append(errs, fmt.Errorf("put events: entry %d refused: %s: %s",
			i, aws.ToString(r.ErrorCode), aws.ToString(r.ErrorMessage)))
	}
	return failed, errors.Join(errs...)
}

// Cleared announces a model package the promotion gate let through, so
// that deployment pipelines can start from this event instead of racing
// the gate on the Approved one. findingIDs are the ids of the findings the
// decision rests on. A package is announced once: the announcement is
// claimed in the state table first, so a redelivered trigger, or two
// handled at once, announce nothing again.
func (n *Notifier) Cleared(ctx context.Context, modelPackageArn, system, runID string,
	findingIDs []string) error {
	id := clearedID(modelPackageArn)
	fresh, err := n.claimCleared(ctx, id, runID)
	if err != nil || !fresh {
		return err
	}
	if findingIDs == nil {
		findingIDs = []string{}
	}
	detail, err := json.Marshal(ClearedDetail{ModelPackageArn: modelPackageArn, System: system,
		RunID: runID, Findings: findingIDs, DryRun: n.dryRun})
	if err != nil {
		return errors.Join(fmt.Errorf("encode cleared event: %w", err), n.unclaimCleared(id, runID))
	}
	var resources []string
	if strings.HasPrefix(modelPackageArn, "arn:") {
		resources = []string{modelPackageArn}
	}
	o := n.event(DetailTypeCleared, detail, resources)
	if _, err := n.put(ctx, []outgoing{o}); err != nil {
		return errors.Join(fmt.Errorf("announce cleared %s: %w", modelPackageArn, err),
			n.unclaimCleared(id, runID))
	}
	return nil
}
