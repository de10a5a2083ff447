package deployment

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/register"
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

// Deployment check names of CONTRACTS.md, in the order findings list them.
const (
	CheckPackageRegistered = "deployment.package-registered"
	CheckPackageApproved   = "deployment.package-approved"
	CheckAssessmentCovers  = "deployment.impact-assessment-covers"
	CheckCardPresent       = "deployment.model-card-present"
	CheckCardApproved      = "deployment.model-card-approved"
	CheckCardMatches       = "deployment.model-card-matches-version"
	CheckDataCapture       = "deployment.data-capture-enabled"
	CheckMonitoring        = "deployment.monitoring-scheduled"
	CheckEncryption        = "deployment.encryption"
	CheckNetworkIsolation  = "deployment.network-isolation"
	CheckSystemFound       = "register.system-found"
)

// checks judges what collect gathered: whether the endpoint belongs to one
// system, then every check for every variant.
func (a *audit) checks() []findings.Finding {
	fs := []findings.Finding{a.finding(CheckSystemFound, "", a.systemFound())}
	for _, v := range a.variants {
		fs = append(fs, a.variantChecks(v)...)
	}
	return fs
}

func (a *audit) variantChecks(v *variant) []findings.Finding {
	judged := []struct {
		check string
		v     verdict
	}{
		{CheckPackageRegistered, a.packageRegistered(v)},
		{CheckPackageApproved, a.perPackage(v, a.packageApproved)},
		{CheckAssessmentCovers, a.perPackage(v, a.assessmentCovers)},
		{CheckCardPresent, a.perPackage(v, a.cardPresent)},
		{CheckCardApproved, a.perPackage(v, a.cardApproved)},
		{CheckCardMatches, a.perPackage(v, a.cardMatches)},
		{CheckDataCapture, a.dataCapture()},
		{CheckMonitoring, a.monitored()},
		{CheckEncryption, a.encryption()},
		{CheckNetworkIsolation, a.networkIsolation(v)},
	}
	out := make([]findings.Finding, len(judged))
	for i, j := range judged {
		out[i] = a.finding(j.check, v.name, j.v)
		if v.shadow {
			out[i].Observed = withShadow(out[i].Observed)
		}
	}
	return out
}

// withShadow marks the observation of a shadow variant, which receives a
// copy of production traffic.
func withShadow(observed any) any {
	if m, ok := observed.(map[string]any); ok {
		m["shadow"] = true
		return m
	}
	return map[string]any{"shadow": true, "observed": observed}
}

func (a *audit) systemFound() verdict {
	ids := make([]string, len(a.systems))
	var docs []string
	for i, s := range a.systems {
		ids[i] = s.ID
		docs = append(docs, a.docURI(s))
	}
	observed := map[string]any{"endpoint": a.endpointName, "modelPackageGroups": a.groups(),
		"systems": ids, "matchedBy": a.matchedBy}
	expected := map[string]any{"systems": 1}
	switch len(a.systems) {
	case 1:
		return pass(observed, expected, docs...)
	case 0:
		return fail(observed, expected, fmt.Sprintf("no system of the register lists endpoint %q "+
			"or the model package groups it serves", a.endpointName))
	default:
		return fail(observed, expected, fmt.Sprintf("%d systems claim endpoint %q by %s; exactly "+
			"one must", len(ids), a.endpointName, a.matchedBy), docs...)
	}
}

// packageRegistered checks that every container of the variant's model
// names a model package the registry holds.
func (a *audit) packageRegistered(v *variant) verdict {
	expected := map[string]any{"modelPackageName": "a registered model package on every container"}
	// TODO(deployment): a variant of an endpoint built on inference
	// components names no model; following ListInferenceComponents to their
	// models would let these variants be judged instead of left unknown.
	if v.modelName == "" {
		return unknown(map[string]any{"model": nil}, expected,
			"the variant names no model (inference components are not followed)")
	}
	m := v.model
	observed := map[string]any{"model": m.name}
	switch {
	case m.read.missing:
		return fail(observed, expected,
			fmt.Sprintf("the variant's model %q does not exist", m.name))
	case m.read.unknown != "":
		return unknown(observed, expected, "model "+m.name+": "+m.read.unknown)
	}
	cs, fails, unknowns := a.containerRefs(m)
	observed["containers"] = cs
	if len(cs) == 0 {
		fails = append(fails, fmt.Sprintf("model %s has no container", m.name))
	}
	switch {
	case len(fails) > 0:
		return fail(observed, expected, strings.Join(fails, "; "), a.packageURIs(m)...)
	case len(unknowns) > 0:
		return unknown(observed, expected, strings.Join(unknowns, "; "), a.packageURIs(m)...)
	}
	return pass(observed, expected, a.packageURIs(m)...)
}

// containerRefs lists what each container serves, why a container falls
// short, and why one could not be judged.
func (a *audit) containerRefs(m *modelView) (refs []map[string]any, fails, unknowns []string) {
	for i, c := range containers(m.out) {
		ref := aws.ToString(c.ModelPackageName)
		refs = append(refs, map[string]any{"image": c.Image, "modelDataUrl": c.ModelDataUrl,
			"modelPackageName": c.ModelPackageName})
		if ref == "" {
			fails = append(fails, fmt.Sprintf("container %d of model %s serves image %s "+
				"with model data %s, which name no registered model package", i, m.name,
				aws.ToString(c.Image), aws.ToString(c.ModelDataUrl)))
			continue
		}
		switch p := a.packages[ref]; {
		case p.read.missing:
			fails = append(fails, fmt.Sprintf("container %d names model package %s, which "+
				"the registry does not hold", i, ref))
		case p.read.unknown != "":
			unknowns = append(unknowns, "model package "+ref+": "+p.read.unknown)
		}
	}
	return refs, fails, unknowns
}

func (a *audit) packageURIs(m *modelView) []string {
	out := []string{m.uri}
	for _, p := range m.packages {
		out = append(out, p.uri)
	}
	return out
}

// perPackage judges each package the variant serves with judge and keeps
// the worst verdict; with no package to judge the check does not apply.
func (a *audit) perPackage(v *variant, judge func(p *packageView) verdict) verdict {
	switch {
	case v.model == nil:
		return unknown(nil, nil,
			"the variant names no model (inference components are not followed)")
	case v.model.read.unknown != "":
		return unknown(nil, nil, "model "+v.model.name+": "+v.model.read.unknown)
	}
	var vs []verdict
	var names []string
	for _, p := range v.model.packages {
		switch {
		case p.read.unknown != "":
			vs = append(vs, unknown(map[string]any{"modelPackage": p.name}, nil,
				"model package "+p.name+": "+p.read.unknown))
		case p.pkg != nil:
			vs = append(vs, judge(p))
		default:
			continue
		}
		names = append(names, p.name)
	}
	switch len(vs) {
	case 0:
		return notApplicable("the variant serves no registered model package")
	case 1:
		return vs[0]
	}
	return combine(names, vs)
}

// combine merges the verdicts on several packages of one variant: the
// worst status, each package's observation, every reason.
func combine(names []string, vs []verdict) verdict {
	out := verdict{status: findings.NotApplicable}
	observed, expected := map[string]any{}, map[string]any{}
	var reasons []string
	for i, v := range vs {
		if rank(v.status) > rank(out.status) {
			out.status = v.status
		}
		observed[names[i]], expected[names[i]] = v.observed, v.expected
		if v.reason != "" {
			reasons = append(reasons, v.reason)
		}
		out.evidence = append(out.evidence, v.evidence...)
	}
	out.observed, out.expected, out.reason = observed, expected, strings.Join(reasons, "; ")
	return out
}

func rank(s findings.Status) int {
	return map[findings.Status]int{findings.NotApplicable: 0, findings.Pass: 1,
		findings.Latent: 2, findings.Indeterminate: 3, findings.Fail: 4}[s]
}

func (a *audit) packageApproved(p *packageView) verdict {
	observed := map[string]any{"modelPackageArn": p.pkg.ARN, "approval": p.pkg.Status}
	expected := map[string]any{"approval": modelregistry.Approved}
	if p.pkg.Status == modelregistry.Approved {
		return pass(observed, expected, p.uri)
	}
	return fail(observed, expected, fmt.Sprintf("model package %s is %s, not Approved",
		p.pkg.ARN, orNone(p.pkg.Status)), p.uri)
}

// assessmentCovers checks the assessment the package names: approved,
// made for this system, covering this version, and not past its review.
func (a *audit) assessmentCovers(p *packageView) verdict {
	pkg := p.pkg
	id := pkg.Metadata[modelregistry.KeyImpactAssessment]
	observed := map[string]any{"modelPackageArn": pkg.ARN,
		modelregistry.KeyImpactAssessment: nullIf(id)}
	expected := map[string]any{"status": "approved", "system": nullIf(a.systemID()),
		"modelPackageGroup": pkg.Group, "version": pkg.Version,
		"reviewDue": "on or after " + a.at.Format("2006-01-02")}
	ia := a.reg.Assessments[id]
	switch {
	case id == "":
		return fail(observed, expected, fmt.Sprintf("model package %s names no impact assessment "+
			"in %s", pkg.ARN, modelregistry.KeyImpactAssessment), p.uri)
	case ia == nil:
		return fail(observed, expected, fmt.Sprintf("model package %s names assessment %q, "+
			"which the register does not hold", pkg.ARN, id), p.uri)
	}
	doc := a.docURI(ia)
	due, known := ia.ReviewDue(a.reviewInterval())
	observed["assessment"] = map[string]any{"id": ia.ID, "status": ia.Status, "system": ia.System,
		"covers": ia.Covers, "reviewDue": dateOrNil(due, known)}
	if reason := a.assessmentGap(ia, pkg.Group, pkg.Version, due, known); reason != "" {
		return fail(observed, expected, reason, p.uri, doc)
	}
	if !known {
		return unknown(observed, expected, fmt.Sprintf("assessment %s has neither nextReviewDue "+
			"nor an approval date and review interval", ia.ID), p.uri, doc)
	}
	return pass(observed, expected, p.uri, doc)
}

// assessmentGap names the first way the assessment fails to cover the
// version, with the register's own rules; "" when it covers it.
func (a *audit) assessmentGap(ia *register.Assessment, group string, version int,
	due time.Time, known bool) string {
	switch {
	case !ia.Approved():
		return fmt.Sprintf("assessment %s is %s, not approved", ia.ID, ia.Status)
	case a.system != nil && ia.System != a.system.ID:
		return fmt.Sprintf("assessment %s is for system %q, not %q", ia.ID, ia.System, a.system.ID)
	case !ia.CoversPackage(group, version):
		return fmt.Sprintf("assessment %s does not cover %s version %d", ia.ID, group, version)
	case known && !a.current(ia):
		return fmt.Sprintf("assessment %s was due for review on %s", ia.ID,
			due.Format("2006-01-02"))
	}
	return ""
}

func (a *audit) current(ia *register.Assessment) bool {
	due, ok := ia.ReviewDue(a.reviewInterval())
	return ok && register.CurrentAt(due, a.at)
}

func (a *audit) reviewInterval() int {
	if a.system == nil {
		return 0
	}
	return a.system.ImpactAssessment.ReviewIntervalDays
}

func nullIf(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "without approval status"
	}
	return s
}

func dateOrNil(t time.Time, known bool) any {
	if !known {
		return nil
	}
	return t.Format("2006-01-02")
}
