package azureml

import (
	"fmt"
	"strings"

	ml "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/machinelearning/armmachinelearning/v4"

	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// Azure ML deployment checks: the SageMaker deployment check's names under
// azureml., plus the two endpoint settings CONTRACTS.md adds.
const (
	CheckSystemFound         = "register.system-found"
	CheckPackageRegistered   = "azureml.package-registered"
	CheckPackageApproved     = "azureml.package-approved"
	CheckAssessmentCovers    = "azureml.impact-assessment-covers"
	CheckCardPresent         = "azureml.model-card-present"
	CheckCardApproved        = "azureml.model-card-approved"
	CheckCardMatches         = "azureml.model-card-matches-version"
	CheckDataCapture         = "azureml.data-capture-enabled"
	CheckNetworkIsolation    = "azureml.network-isolation"
	CheckPublicNetworkAccess = "azureml.public-network-access"
	CheckKeyAuthDisabled     = "azureml.key-auth-disabled"
)

// The data collector collections that capture what a model sees and says.
var capturedCollections = []string{"model_inputs", "model_outputs"}

// checks judges what collect gathered: the endpoint's own settings once,
// then every check for every deployment.
func (a *endpointAudit) checks() []findings.Finding {
	fs := []findings.Finding{
		a.finding(CheckSystemFound, "", a.systemFound()),
		a.finding(CheckPublicNetworkAccess, "", a.publicNetworkAccess()),
		a.finding(CheckKeyAuthDisabled, "", a.keyAuthDisabled()),
	}
	if a.listRead.unknown != "" {
		return append(fs, a.finding(CheckPackageRegistered, "", unknown(nil, nil,
			"the endpoint's deployments could not be listed: "+a.listRead.unknown)))
	}
	for _, d := range a.deployments {
		fs = append(fs, a.deploymentChecks(d)...)
	}
	return fs
}

func (a *endpointAudit) deploymentChecks(d *deploymentView) []findings.Finding {
	judged := []struct {
		check string
		v     verdict
	}{
		{CheckPackageRegistered, a.registered(d)},
		{CheckPackageApproved, a.perModel(d, a.cleared)},
		{CheckAssessmentCovers, a.perModel(d, a.assessmentCovers)},
		{CheckCardPresent, a.perModel(d, a.cardPresent)},
		{CheckCardApproved, a.perModel(d, a.cardApproved)},
		{CheckCardMatches, a.perModel(d, a.cardMatches)},
		{CheckDataCapture, a.dataCapture(d)},
		{CheckNetworkIsolation, a.networkIsolation(d)},
	}
	out := make([]findings.Finding, len(judged))
	for i, j := range judged {
		out[i] = a.finding(j.check, d.name, j.v)
	}
	return out
}

func (a *endpointAudit) finding(check, qualifier string, v verdict) findings.Finding {
	return v.toFinding(check, a.resource, qualifier, a.systemID(), a.at, a.endpointURI, a.listURI)
}

func (a *endpointAudit) systemID() string {
	if a.system == nil {
		return ""
	}
	return a.system.ID
}

func (a *endpointAudit) docURI(doc any) string { return a.docURIs[a.reg.LocationOf(doc)] }

func (a *endpointAudit) systemFound() verdict {
	ids := make([]string, len(a.systems))
	var docs []string
	for i, s := range a.systems {
		ids[i] = s.ID
		docs = append(docs, a.docURI(s))
	}
	observed := map[string]any{"workspace": a.ws, "endpoint": a.name, "systems": ids,
		"matchedBy": a.matchedBy}
	expected := map[string]any{"systems": 1}
	switch len(a.systems) {
	case 1:
		return pass(observed, expected, append(docs, a.workspaceURI)...)
	case 0:
		return fail(observed, expected, fmt.Sprintf("no system of the register lists endpoint %q "+
			"or the models it serves in workspace %s", a.name, a.ws.Name), a.workspaceURI)
	}
	return fail(observed, expected, fmt.Sprintf("%d systems claim endpoint %q by %s; exactly "+
		"one must", len(ids), a.name, a.matchedBy), append(docs, a.workspaceURI)...)
}

// azure returns the system's Azure endpoint expectations, nil when there
// is no single system or it states none.
func (a *endpointAudit) azure() *register.AzureDeploy {
	if a.system == nil || a.system.Deployment == nil {
		return nil
	}
	return a.system.Deployment.Azure
}

func (a *endpointAudit) noExpectation(what string) string {
	switch {
	case a.system == nil:
		return "no single system of the register claims the endpoint, so nothing is asked of it"
	case a.system.Deployment == nil:
		return fmt.Sprintf("system %s declares no deployment expectations", a.system.ID)
	}
	return fmt.Sprintf("system %s does not ask for %s", a.system.ID, what)
}

// publicNetworkAccess compares the endpoint's setting with the register's.
// An endpoint that states none is Enabled, as Azure defaults it.
func (a *endpointAudit) publicNetworkAccess() verdict {
	want := a.azure()
	if want == nil || want.PublicNetworkAccess == "" {
		return notApplicable(a.noExpectation("a public network access setting"))
	}
	expected := map[string]any{"publicNetworkAccess": want.PublicNetworkAccess}
	if a.endpointRead.unknown != "" {
		return unknown(nil, expected, "endpoint "+a.name+": "+a.endpointRead.unknown)
	}
	got := string(ml.PublicNetworkAccessTypeEnabled)
	if p := a.endpoint.Properties; p != nil && p.PublicNetworkAccess != nil {
		got = string(*p.PublicNetworkAccess)
	}
	observed := map[string]any{"publicNetworkAccess": got}
	if strings.EqualFold(got, want.PublicNetworkAccess) {
		return pass(observed, expected, a.docURI(a.system))
	}
	return fail(observed, expected, fmt.Sprintf("endpoint %s has public network access %s, "+
		"not %s", a.name, got, want.PublicNetworkAccess), a.docURI(a.system))
}

// keyAuthDisabled checks that an endpoint of a system that does not allow
// key authentication uses tokens instead.
func (a *endpointAudit) keyAuthDisabled() verdict {
	want := a.azure()
	if want == nil {
		return notApplicable(a.noExpectation("an authentication mode"))
	}
	if want.AllowKeyAuth {
		return notApplicable(fmt.Sprintf("system %s allows key authentication", a.system.ID))
	}
	expected := map[string]any{"authMode": "AMLToken or AADToken, not Key"}
	if a.endpointRead.unknown != "" {
		return unknown(nil, expected, "endpoint "+a.name+": "+a.endpointRead.unknown)
	}
	var mode string
	if p := a.endpoint.Properties; p != nil && p.AuthMode != nil {
		mode = string(*p.AuthMode)
	}
	observed := map[string]any{"authMode": nullIf(mode)}
	switch {
	case mode == "":
		return unknown(observed, expected, "endpoint "+a.name+" states no authMode")
	case strings.EqualFold(mode, string(ml.EndpointAuthModeKey)):
		return fail(observed, expected, fmt.Sprintf("endpoint %s accepts keys (authMode Key)",
			a.name), a.docURI(a.system))
	}
	return pass(observed, expected, a.docURI(a.system))
}

// registered checks that the deployment serves a model version the
// workspace or a registry holds.
func (a *endpointAudit) registered(d *deploymentView) verdict {
	observed := map[string]any{"model": nullIf(d.asset)}
	expected := map[string]any{"model": "a registered model version"}
	switch m := d.model; {
	case d.refUnknown:
		return unknown(observed, expected, fmt.Sprintf("deployment %s: %s", d.name, d.refErr))
	case d.ref == nil:
		return fail(observed, expected, fmt.Sprintf("deployment %s: %s", d.name, d.refErr))
	case m.read.missing:
		return fail(observed, expected, fmt.Sprintf("deployment %s serves %s, which is not "+
			"registered", d.name, d.ref.ID()))
	case m.read.unknown != "":
		return unknown(observed, expected, "model version "+d.ref.ID()+": "+m.read.unknown)
	}
	observed["name"], observed["version"] = d.ref.Name, d.ref.Version
	return pass(observed, expected, d.model.uri)
}

// perModel judges the deployment's model version with judge; without a
// readable version the check does not apply or is unknown.
func (a *endpointAudit) perModel(d *deploymentView, judge func(m *modelView) verdict) verdict {
	switch {
	case d.refUnknown:
		return unknown(map[string]any{"model": d.asset}, nil, "deployment "+d.name+": "+d.refErr)
	case d.ref == nil || d.model.read.missing:
		return notApplicable("the deployment serves no registered model version")
	case d.model.read.unknown != "":
		return unknown(map[string]any{"model": d.ref.ID()}, nil,
			"model version "+d.ref.ID()+": "+d.model.read.unknown)
	}
	return judge(d.model)
}

// cleared checks that the promotion gate cleared the version: Azure ML has
// no approval status, so the gate's aims:gate tag stands in for one.
func (a *endpointAudit) cleared(m *modelView) verdict {
	got := m.tags[TagGate]
	observed := map[string]any{"model": m.ref.ID(), TagGate: nullIf(got)}
	expected := map[string]any{TagGate: GateCleared}
	if got == GateCleared {
		return pass(observed, expected, m.uri)
	}
	if got == "" {
		return fail(observed, expected, fmt.Sprintf("model version %s was never cleared by the "+
			"promotion gate (no %s tag)", m.ref.ID(), TagGate), m.uri)
	}
	return fail(observed, expected, fmt.Sprintf("the promotion gate marked model version %s %s",
		m.ref.ID(), got), m.uri)
}
