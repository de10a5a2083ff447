package azureml

import (
	"time"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// verdict is one check's judgement before it becomes a finding.
type verdict struct {
	status             findings.Status
	observed, expected any
	reason             string
	evidence           []string
}

func pass(observed, expected any, evidence ...string) verdict {
	return verdict{findings.Pass, observed, expected, "", evidence}
}

func fail(observed, expected any, reason string, evidence ...string) verdict {
	return verdict{findings.Fail, observed, expected, reason, evidence}
}

func unknown(observed, expected any, reason string, evidence ...string) verdict {
	return verdict{findings.Indeterminate, observed, expected, reason, evidence}
}

func notApplicable(reason string, evidence ...string) verdict {
	return verdict{findings.NotApplicable, nil, nil, reason, evidence}
}

// toFinding builds the finding of a verdict on resource, citing first the
// evidence every finding of the audit shares.
func (v verdict) toFinding(check, resource, qualifier, system string, at time.Time,
	shared ...string) findings.Finding {
	f := findings.New(check, resource, qualifier, system, v.status, at)
	f.Observed, f.Expected, f.Reason = v.observed, v.expected, v.reason
	f.Evidence = nonEmpty(append(shared, v.evidence...))
	return f
}

func nonEmpty(ss []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func nullIf(s string) any {
	if s == "" {
		return nil
	}
	return s
}
