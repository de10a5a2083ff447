package exposure

import (
	"strings"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// Checks that exposure verdicts report under.
const (
	CheckS3Bucket       = "exposure.s3-bucket"
	CheckAzureContainer = "exposure.azure-container"
)

// Status maps a verdict to a finding status: public fails; an unknown that
// could make it public is indeterminate; a masked grant is latent.
func Status(v Verdict) findings.Status {
	switch {
	case v.Verdict == Public:
		return findings.Fail
	case v.Verdict == Indeterminate:
		return findings.Indeterminate
	case v.Latent:
		return findings.Latent
	}
	return findings.Pass
}

// NewFinding turns a verdict into the finding of its check, with the verdict
// itself as what was observed. system is "" for a resource no register
// entry names.
func NewFinding(v Verdict, system string, at time.Time) findings.Finding {
	check := CheckS3Bucket
	if v.Kind == KindAzureContainer {
		check = CheckAzureContainer
	}
	f := findings.New(check, v.Resource, "", system, Status(v), at)
	f.Observed = v
	f.Expected = map[string]any{"verdict": NotPublic, "latent": false}
	f.Reason = strings.Join(v.Reasons, "; ")
	return f
}
