package alert

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// record is one item of the state table: the last status reported for a
// finding id. Only fail, indeterminate and latent are kept; a finding
// reported back to pass is deleted, since no item and pass mean the same.
type record struct {
	ID         string
	Status     findings.Status
	RunID      string
	Check      string
	Resource   string
	ReportedAt string // RFC 3339, UTC
}

// item is the record as the table stores it, every attribute a string.
func (r record) item() map[string]types.AttributeValue {
	return values("id", r.ID, "status", string(r.Status), "runId", r.RunID,
		"check", r.Check, "resource", r.Resource, "reportedAt", r.ReportedAt)
}

// Condition expressions. A new alerting status is written only if it is
// news; a pass deletes only an alerting status; an undo applies only while
// the item is still the one this run wrote.
const (
	condNews     = "attribute_not_exists(id) OR #status <> :new"
	condAlerting = "#status IN (:fail, :indeterminate, :latent)"
	condOurs     = "#status = :new AND #runId = :run"
	condAbsent   = "attribute_not_exists(id)"
)

func (n *Notifier) load(ctx context.Context, id string) (*record, error) {
	out, err := n.state.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(n.table), Key: key(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("read state of finding %s: %w", id, err)
	}
	return decode(out.Item)
}

// recordAlerting writes the finding's alerting status unless the table
// already holds it, and learns the status it replaced.
func (n *Notifier) recordAlerting(ctx context.Context, runID string, f findings.Finding) (
	*pending, error) {
	item := record{ID: f.ID, Status: f.Status, RunID: runID, Check: f.Check,
		Resource: f.Resource, ReportedAt: n.now().UTC().Format(time.RFC3339)}.item()
	out, err := n.state.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(n.table),
		Item:                      item,
		ConditionExpression:       aws.String(condNews),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: values(":new", string(f.Status)),
		ReturnValues:              types.ReturnValueAllOld,
	})
	if isConditionFailed(err) {
		return nil, nil // reported already, by an earlier run or a concurrent one
	}
	if err != nil {
		return nil, fmt.Errorf("record state of finding %s: %w", f.ID, err)
	}
	prev, err := decode(out.Attributes)
	if err != nil {
		return nil, err
	}
	return &pending{finding: f, previous: prev, recorded: true}, nil
}

// recordCleared deletes the state of a passing finding if it was alerting,
// and learns that status.
func (n *Notifier) recordCleared(ctx context.Context, f findings.Finding) (*pending, error) {
	out, err := n.state.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                aws.String(n.table),
		Key:                      key(f.ID),
		ConditionExpression:      aws.String(condAlerting),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: values(":fail", string(findings.Fail),
			":indeterminate", string(findings.Indeterminate), ":latent", string(findings.Latent)),
		ReturnValues: types.ReturnValueAllOld,
	})
	if isConditionFailed(err) {
		return nil, nil // never reported, or its return to pass was already
	}
	if err != nil {
		return nil, fmt.Errorf("clear state of finding %s: %w", f.ID, err)
	}
	prev, err := decode(out.Attributes)
	if err != nil {
		return nil, err
	}
	return &pending{finding: f, previous: prev, recorded: true}, nil
}

// restore undoes a recorded state whose event the bus did not take, so the
// next delivery alerts again. It leaves alone a state another run has
// changed since, which is newer than both.
func (n *Notifier) restore(ctx context.Context, runID string, p pending) error {
	var err error
	switch {
	case p.finding.Status == findings.Pass:
		err = n.putBack(ctx, *p.previous, condAbsent, nil, nil)
	case p.previous == nil:
		_, err = n.state.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName:                 aws.String(n.table),
			Key:                       key(p.finding.ID),
			ConditionExpression:       aws.String(condOurs),
			ExpressionAttributeNames:  map[string]string{"#status": "status", "#runId": "runId"},
			ExpressionAttributeValues: values(":new", string(p.finding.Status), ":run", runID),
		})
	default:
		err = n.putBack(ctx, *p.previous, condOurs,
			map[string]string{"#status": "status", "#runId": "runId"},
			values(":new", string(p.finding.Status), ":run", runID))
	}
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("restore state of finding %s: %w", p.finding.ID, err)
	}
	return nil
}

func (n *Notifier) putBack(ctx context.Context, r record, cond string,
	names map[string]string, vals map[string]types.AttributeValue) error {
	_, err := n.state.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(n.table), Item: r.item(), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names, ExpressionAttributeValues: vals})
	return err
}

func decode(item map[string]types.AttributeValue) (*record, error) {
	if len(item) == 0 {
		return nil, nil
	}
	str := func(name string) (string, error) {
		v, ok := item[name].(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("decode state item: attribute %s is not a string", name)
		}
		return v.Value, nil
	}
	var r record
	var status string
	for name, dst := range map[string]*string{"id": &r.ID, "status": &status} {
		v, err := str(name)
		if err != nil {
			return nil, err
		}
		*dst = v
	}
	r.Status = findings.Status(status)
	// The rest only describe the item; an item written by hand may lack them.
	r.RunID, _ = str("runId")
	r.Check, _ = str("check")
	r.Resource, _ = str("resource")
	r.ReportedAt, _ = str("reportedAt")
	return &r, nil
}

func key(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
}

// values builds string attribute values from name, value pairs.
func values(pairs ...string) map[string]types.AttributeValue {
	m := make(map[string]types.AttributeValue, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = &types.AttributeValueMemberS{Value: pairs[i+1]}
	}
	return m
}

func isConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// statusCleared marks a package's announcement in the state table.
const statusCleared = "cleared"

// clearedID keys a package's announcement apart from every finding id,
// which are hex digests.
func clearedID(modelPackageArn string) string { return "cleared:" + modelPackageArn }

// claimCleared records that runID announces the package, and reports
// whether it is the first to. Under dry run it only reads, so a dry run
// never uses up the real announcement.
func (n *Notifier) claimCleared(ctx context.Context, id, runID string) (bool, error) {
	if n.dryRun {
		prev, err := n.load(ctx, id)
		return prev == nil, err
	}
	_, err := n.state.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(n.table),
		Item: values("id", id, "status", statusCleared, "runId", runID,
			"reportedAt", n.now().UTC().Format(time.RFC3339)),
		ConditionExpression: aws.String(condAbsent),
	})
	switch {
	case isConditionFailed(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("claim announcement %s: %w", id, err)
	}
	return true, nil
}

// unclaimCleared takes back this run's claim after the announcement failed,
// so a retry announces the package. It outlives a cancelled caller, as
// restore does.
func (n *Notifier) unclaimCleared(id, runID string) error {
	if n.dryRun {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := n.state.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(n.table),
		Key:                       key(id),
		ConditionExpression:       aws.String("#runId = :run"),
		ExpressionAttributeNames:  map[string]string{"#runId": "runId"},
		ExpressionAttributeValues: values(":run", runID),
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("take back announcement %s: %w", id, err)
	}
	return nil
}
