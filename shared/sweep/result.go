package sweep

import (
	"sort"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// Result is what an invocation returns: the findings made in this process,
// with what was planned, judged and sent on.
type Result struct {
	RunID     string             `json:"runId"`
	Findings  []findings.Finding `json:"findings"`
	Actions   []Action           `json:"actions"`
	Counts    Counts             `json:"counts"`
	Manifests []string           `json:"manifests"`
	Alerts    int                `json:"alerts"`
	DryRun    bool               `json:"dryRun"`
}

// Counts says how much the sweep covered and what it cost. Buckets,
// Containers, Endpoints (SageMaker) and AzureMLEndpoints (online endpoints)
// count the resources judged in this process; Planned counts
// what the plan held, and Queued the batches sent to the queue for other
// invocations to judge.
type Counts struct {
	Buckets          int     `json:"buckets"`
	Containers       int     `json:"containers"`
	Endpoints        int     `json:"endpoints"`
	AzureMLEndpoints int     `json:"azureMLEndpoints"`
	Assessments      int     `json:"assessments"`
	Batches          int     `json:"batches"`
	Queued           int     `json:"queued"`
	Planned          Planned `json:"planned"`
	Calls            Calls   `json:"calls"`
}

// Planned is the size of the plan.
type Planned struct {
	Buckets          int `json:"buckets"`
	StorageAccounts  int `json:"storageAccounts"`
	Endpoints        int `json:"endpoints"`
	AzureMLEndpoints int `json:"azureMLEndpoints"`
	Batches          int `json:"batches"`
}

// Calls counts the cloud calls made to read the estate; writes of evidence
// and alerts are not among them. Bucket counts the calls about buckets
// themselves, AccessPoints those about their access points, apart, and
// Listing the calls that list buckets and read each batch's account-level
// Block Public Access. Azure counts ARM and blob service reads, list
// pages included (those of Azure ML online endpoints too); the endpoint
// re-checks' own reads are not counted.
type Calls struct {
	Bucket       int      `json:"bucket"`
	AccessPoints int      `json:"accessPoints"`
	Listing      int      `json:"listing"`
	Azure        int      `json:"azure"`
	PerBucket    *float64 `json:"perBucket"`
}

func newResult(runID string, dryRun bool) *Result {
	return &Result{RunID: runID, Findings: []findings.Finding{}, Actions: []Action{},
		Manifests: []string{}, DryRun: dryRun}
}

// add folds a batch's result into the run's.
func (r *Result) add(b *Result) {
	r.Findings = append(r.Findings, b.Findings...)
	r.Manifests = append(r.Manifests, b.Manifests...)
	r.Alerts += b.Alerts
	c, bc := &r.Counts, b.Counts
	c.Buckets += bc.Buckets
	c.Containers += bc.Containers
	c.Endpoints += bc.Endpoints
	c.AzureMLEndpoints += bc.AzureMLEndpoints
	c.Assessments += bc.Assessments
	c.Batches += bc.Batches
	c.Calls.Bucket += bc.Calls.Bucket
	c.Calls.AccessPoints += bc.Calls.AccessPoints
	c.Calls.Listing += bc.Calls.Listing
	c.Calls.Azure += bc.Calls.Azure
}

// finish orders the findings, worst first, and works out the per-bucket
// cost.
func (r *Result) finish() {
	sortFindings(r.Findings)
	if r.Counts.Buckets > 0 {
		per := float64(r.Counts.Calls.Bucket) / float64(r.Counts.Buckets)
		r.Counts.Calls.PerBucket = &per
	}
}

var statusRank = map[findings.Status]int{
	findings.Fail: 0, findings.Indeterminate: 1, findings.Latent: 2, findings.Pass: 3,
	findings.NotApplicable: 4,
}

func sortFindings(fs []findings.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if statusRank[a.Status] != statusRank[b.Status] {
			return statusRank[a.Status] < statusRank[b.Status]
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Resource < b.Resource
	})
}
