package sweep

import (
	"fmt"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Batch is one unit of the sweep's work, small enough for one invocation:
// some buckets of one account and region, the storage accounts of one Azure
// subscription, some SageMaker endpoints of one account and region, some
// Azure ML online endpoints of one workspace, or the register's own
// checks. Exactly one of AWS, Azure, Endpoints, AzureML and Register is
// set. Batches of one run share its run id; Seq tells them
// apart in logs and results.
type Batch struct {
	RunID     string        `json:"runId"`
	Seq       int           `json:"seq"`
	Of        int           `json:"of"`
	AWS       *AWSWork      `json:"aws,omitempty"`
	Azure     *AzureWork    `json:"azure,omitempty"`
	Endpoints *EndpointWork `json:"endpoints,omitempty"`
	AzureML   *MLWork       `json:"azureml,omitempty"`
	Register  *RegisterWork `json:"register,omitempty"`
}

// AWSWork is a list of buckets to judge with one target's credentials in
// one region.
type AWSWork struct {
	Target  Target     `json:"target"`
	Region  string     `json:"region"`
	Buckets []Resource `json:"buckets"`
}

// Resource is a bucket or container by name, with the register system that
// names it, if any.
type Resource struct {
	Name   string `json:"name"`
	System string `json:"system,omitempty"`
}

// AzureWork is a list of storage accounts of one subscription, each judged
// container by container.
type AzureWork struct {
	Subscription string           `json:"subscription"`
	Accounts     []StorageAccount `json:"accounts"`
}

// StorageAccount is one account as ARM listed it, with the systems that
// name its containers in the register.
type StorageAccount struct {
	ResourceGroup string `json:"resourceGroup"`
	Name          string `json:"name"`
	BlobEndpoint  string `json:"blobEndpoint"`
	// Systems maps a container name to the register system that names it.
	Systems map[string]string `json:"systems,omitempty"`
}

// RegisterWork is the work that needs no storage reads: impact-assessment
// review dates, register storage the sweep could not place in any
// configured account, and the accounts or subscriptions whose storage could
// not be listed. The last two are judged indeterminate rather than skipped.
type RegisterWork struct {
	Assessments bool       `json:"assessments"`
	Unplaced    []Resource `json:"unplaced,omitempty"`
	Unlisted    []Unlisted `json:"unlisted,omitempty"`
}

// Unlisted is an AWS account or Azure subscription whose buckets or storage
// accounts could not be listed (in full): whatever it holds beyond what was
// listed is unknown.
type Unlisted struct {
	Cloud   string `json:"cloud"` // "aws" or "azure"
	Account string `json:"account"`
	Code    string `json:"errorCode"`
	Error   string `json:"error"`
}

// kind names what the batch holds, for logs.
func (b *Batch) kind() string {
	switch {
	case b.AWS != nil:
		return "aws"
	case b.Azure != nil:
		return "azure"
	case b.Endpoints != nil:
		return "endpoints"
	case b.AzureML != nil:
		return "azureml"
	}
	return "register"
}

// validate checks a batch that came from outside the process, naming the
// field at fault.
func (b *Batch) validate(source string) error {
	bad := func(field, format string, args ...any) error {
		return badinput.Errorf(source, 0, "batch."+field, format, args...)
	}
	if b.RunID == "" || strings.ContainsAny(b.RunID, "/\\") || b.RunID == "." ||
		b.RunID == ".." {
		return bad("runId", "got %q, want a run id without slashes", b.RunID)
	}
	set := 0
	for _, present := range []bool{b.AWS != nil, b.Azure != nil, b.Endpoints != nil,
		b.AzureML != nil, b.Register != nil} {
		if present {
			set++
		}
	}
	if set != 1 {
		return bad("aws", "want exactly one of aws, azure, endpoints, azureml and register, "+
			"got %d", set)
	}
	switch {
	case b.AWS != nil:
		return b.AWS.validate(bad)
	case b.Azure != nil:
		return b.Azure.validate(bad)
	case b.Endpoints != nil:
		return b.Endpoints.validate(bad)
	case b.AzureML != nil:
		return b.AzureML.validate(bad)
	}
	return validateResources(bad, "register.unplaced", b.Register.Unplaced)
}

type badFunc func(field, format string, args ...any) error

func (w *AWSWork) validate(bad badFunc) error {
	if w.Target.Account == "" {
		return bad("aws.target.account", "missing")
	}
	if w.Region == "" {
		return bad("aws.region", "missing")
	}
	return validateResources(bad, "aws.buckets", w.Buckets)
}

func (w *AzureWork) validate(bad badFunc) error {
	if w.Subscription == "" {
		return bad("azure.subscription", "missing")
	}
	for i, a := range w.Accounts {
		field := fmt.Sprintf("azure.accounts[%d]", i)
		switch {
		case a.Name == "":
			return bad(field+".name", "missing")
		case a.ResourceGroup == "":
			return bad(field+".resourceGroup", "missing")
		case a.BlobEndpoint == "":
			return bad(field+".blobEndpoint", "missing")
		}
	}
	return nil
}

func validateResources(bad badFunc, field string, rs []Resource) error {
	for i, r := range rs {
		if r.Name == "" {
			return bad(fmt.Sprintf("%s[%d].name", field, i), "missing")
		}
	}
	return nil
}
