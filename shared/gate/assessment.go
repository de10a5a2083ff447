package gate

import (
	"context"
	"fmt"

	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// assessmentChecks judges the impact assessment the package names in its
// metadata, the only place the gate looks, so an auditor sees exactly what
// the gate saw.
func (a *audit) assessmentChecks(ctx context.Context) []findings.Finding {
	id, named := a.pkg.Metadata[modelregistry.KeyImpactAssessment]
	observed := map[string]any{modelregistry.KeyImpactAssessment: nullIfEmpty(id)}
	expected := map[string]any{"assessment": "an id of the register's assessments/"}
	ia := a.reg.Assessments[id]
	switch {
	case !named || id == "":
		return a.withoutAssessment(observed, expected,
			"the package names no impact assessment in aims:impact-assessment")
	case ia == nil:
		return a.withoutAssessment(observed, expected,
			fmt.Sprintf("the package names assessment %q, which the register does not hold", id))
	}
	doc := a.keepDocument(ctx, ia)
	return []findings.Finding{
		a.finding("impact-assessment.present", "", findings.Pass, observed, expected, "", doc),
		a.assessmentApproved(ia, doc),
		a.assessmentCovers(ia, doc),
		a.assessmentCurrent(ia, doc),
	}
}

// withoutAssessment fails presence; the other assessment checks have no
// precondition and are not applicable.
func (a *audit) withoutAssessment(observed, expected any, reason string) []findings.Finding {
	out := []findings.Finding{
		a.finding("impact-assessment.present", "", findings.Fail, observed, expected, reason),
	}
	for _, check := range []string{"impact-assessment.approved", "impact-assessment.covers-version",
		"impact-assessment.review-current"} {
		out = append(out, a.finding(check, "", findings.NotApplicable, nil, nil,
			"no assessment to judge"))
	}
	return out
}

func (a *audit) assessmentApproved(ia *register.Assessment, doc string) findings.Finding {
	observed := map[string]any{"id": ia.ID, "status": ia.Status,
		"approvedBy": nullIfEmpty(ia.ApprovedBy)}
	expected := map[string]any{"status": "approved"}
	if ia.Approved() {
		return a.finding("impact-assessment.approved", "", findings.Pass, observed, expected, "", doc)
	}
	return a.finding("impact-assessment.approved", "", findings.Fail, observed, expected,
		fmt.Sprintf("assessment %s is %s, not approved", ia.ID, ia.Status), doc)
}

func (a *audit) assessmentCovers(ia *register.Assessment, doc string) findings.Finding {
	observed := map[string]any{"id": ia.ID, "system": ia.System, "covers": ia.Covers}
	expected := map[string]any{"system": a.systemID(), "modelPackageGroup": a.pkg.Group,
		"version": a.pkg.Version}
	switch {
	case a.system != nil && ia.System != a.system.ID:
		return a.finding("impact-assessment.covers-version", "", findings.Fail, observed, expected,
			fmt.Sprintf("assessment %s is for system %q, not %q", ia.ID, ia.System, a.system.ID), doc)
	case !ia.CoversPackage(a.pkg.Group, a.pkg.Version):
		return a.finding("impact-assessment.covers-version", "", findings.Fail, observed, expected,
			fmt.Sprintf("assessment %s does not cover %s version %d",
				ia.ID, a.pkg.Group, a.pkg.Version), doc)
	}
	return a.finding("impact-assessment.covers-version", "", findings.Pass, observed, expected,
		"", doc)
}

func (a *audit) assessmentCurrent(ia *register.Assessment, doc string) findings.Finding {
	interval := 0
	if a.system != nil {
		interval = a.system.ImpactAssessment.ReviewIntervalDays
	}
	due, ok := ia.ReviewDue(interval)
	observed := map[string]any{"id": ia.ID, "nextReviewDue": nullIfEmpty(ia.NextReviewDue),
		"approvedAt": ia.ApprovedAt, "reviewIntervalDays": interval}
	if !ok {
		return a.finding("impact-assessment.review-current", "", findings.Indeterminate, observed,
			map[string]any{"reviewDue": "on or after " + a.at.Format("2006-01-02")},
			fmt.Sprintf("assessment %s has neither nextReviewDue nor an approval date "+
				"and review interval", ia.ID),
			doc)
	}
	observed["reviewDue"] = due.Format("2006-01-02")
	expected := map[string]any{"reviewDue": "on or after " + a.at.Format("2006-01-02")}
	if register.CurrentAt(due, a.at) {
		return a.finding("impact-assessment.review-current", "", findings.Pass, observed, expected,
			"", doc)
	}
	return a.finding("impact-assessment.review-current", "", findings.Fail, observed, expected,
		fmt.Sprintf("assessment %s was due for review on %s", ia.ID, due.Format("2006-01-02")), doc)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
