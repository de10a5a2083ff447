package azureml

import (
	"fmt"
	"strings"

	ml "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/machinelearning/armmachinelearning/v4"
)

// cardApprovedStatus is the SageMaker model card status that counts.
const cardApprovedStatus = "Approved"

// assessmentCovers checks the assessment the version names in its tags:
// approved, made for this system, covering this version, not past review.
func (a *endpointAudit) assessmentCovers(m *modelView) verdict {
	id := m.tags[TagImpactAssessment]
	ws := a.modelWorkspace(m.ref)
	observed := map[string]any{"model": m.ref.ID(), TagImpactAssessment: nullIf(id)}
	expected := map[string]any{"status": "approved", "system": nullIf(a.systemID()),
		"covers": map[string]any{"workspace": ws.Name, "model": m.ref.Name,
			"version": m.ref.Version},
		"reviewDue": "on or after " + a.at.Format("2006-01-02")}
	ia := a.reg.Assessments[id]
	switch {
	case id == "":
		return fail(observed, expected, fmt.Sprintf("model version %s names no impact "+
			"assessment in %s", m.ref.ID(), TagImpactAssessment), m.uri)
	case ia == nil:
		return fail(observed, expected, fmt.Sprintf("model version %s names assessment %q, "+
			"which the register does not hold", m.ref.ID(), id), m.uri)
	}
	doc := a.docURI(ia)
	observed["assessment"] = map[string]any{"id": ia.ID, "status": ia.Status,
		"system": ia.System, "covers": ia.Covers, "reviewDue": reviewDue(ia, a.system)}
	gap, known := assessmentGap(ia, a.system, m.ref, ws, a.at)
	switch {
	case gap != "":
		return fail(observed, expected, gap, m.uri, doc)
	case !known:
		return unknown(observed, expected, fmt.Sprintf("assessment %s has neither "+
			"nextReviewDue nor an approval date and review interval", ia.ID), m.uri, doc)
	}
	return pass(observed, expected, m.uri, doc)
}

// modelWorkspace is the workspace a version belongs to; a registry's
// versions are judged as the endpoint's workspace's.
func (a *endpointAudit) modelWorkspace(ref ModelRef) Workspace {
	if ref.Registry != "" {
		return a.ws
	}
	return ref.Workspace
}

func (a *endpointAudit) cardPresent(m *modelView) verdict {
	uri := m.tags[TagModelCard]
	observed := map[string]any{"model": m.ref.ID(), TagModelCard: nullIf(uri)}
	expected := map[string]any{TagModelCard: "the URI of a model card document"}
	switch c := m.card; {
	case c == nil:
		return fail(observed, expected, fmt.Sprintf("model version %s names no model card in %s",
			m.ref.ID(), TagModelCard), m.uri)
	case c.read.invalid != "":
		return fail(observed, expected, "model card: "+c.read.invalid, m.uri)
	case c.read.missing:
		return fail(observed, expected, fmt.Sprintf("model card %s does not exist", uri), m.uri)
	case c.read.unknown != "":
		return unknown(observed, expected, "model card "+uri+": "+c.read.unknown, m.uri)
	}
	return pass(observed, expected, m.uri, m.card.evidenceURI)
}

// readableCard returns the version's card when it was read, or the verdict
// that stands in for a card check without one.
func readableCard(m *modelView) (*cardView, *verdict) {
	c := m.card
	switch {
	case c == nil || c.read.missing || c.read.invalid != "":
		v := notApplicable("no model card to judge", m.uri)
		return nil, &v
	case c.read.unknown != "":
		v := unknown(map[string]any{"modelCard": c.uri}, nil, "model card "+c.uri+": "+
			c.read.unknown, m.uri)
		return nil, &v
	}
	return c, nil
}

func (a *endpointAudit) cardApproved(m *modelView) verdict {
	c, instead := readableCard(m)
	if instead != nil {
		return *instead
	}
	observed := map[string]any{"modelCard": c.uri, "ModelCardStatus": nullIf(c.status)}
	expected := map[string]any{"ModelCardStatus": cardApprovedStatus}
	switch {
	case c.status == cardApprovedStatus:
		return pass(observed, expected, c.evidenceURI)
	case c.status == "":
		return fail(observed, expected, fmt.Sprintf("model card %s states no ModelCardStatus",
			c.uri), c.evidenceURI)
	}
	return fail(observed, expected, fmt.Sprintf("model card %s is %s, not Approved", c.uri,
		c.status), c.evidenceURI)
}

// cardMatches checks that the card documents this very version, not an
// earlier one of the same model.
func (a *endpointAudit) cardMatches(m *modelView) verdict {
	c, instead := readableCard(m)
	if instead != nil {
		return *instead
	}
	observed := map[string]any{"modelCard": c.uri, "model_overview": c.overview}
	expected := map[string]any{"model_name": m.ref.Name, "model_version": m.ref.Version}
	switch {
	case c.contentErr != "":
		return fail(observed, expected, "model card "+c.uri+": "+c.contentErr, c.evidenceURI,
			m.uri)
	case c.overview == nil:
		return fail(observed, expected, fmt.Sprintf("model card %s has no model_overview",
			c.uri), c.evidenceURI, m.uri)
	case !c.overview.describes(m.ref):
		return fail(observed, expected, fmt.Sprintf("model card %s describes %s, not %s", c.uri,
			c.overview.what(), m.ref.ID()), c.evidenceURI, m.uri)
	}
	return pass(observed, expected, c.evidenceURI, m.uri)
}

// dataCapture checks that the deployment's data collector keeps both what
// the model receives and what it answers.
func (a *endpointAudit) dataCapture(d *deploymentView) verdict {
	expected := map[string]any{"dataCollector.collections": map[string]string{
		"model_inputs": "Enabled", "model_outputs": "Enabled"}}
	if d.props == nil || d.props.DataCollector == nil {
		return fail(map[string]any{"dataCollector": nil}, expected,
			fmt.Sprintf("deployment %s has no data collector", d.name))
	}
	got := map[string]any{}
	var gaps []string
	for _, name := range capturedCollections {
		c := d.props.DataCollector.Collections[name]
		mode := ""
		if c != nil && c.DataCollectionMode != nil {
			mode = string(*c.DataCollectionMode)
		}
		got[name] = nullIf(mode)
		if !strings.EqualFold(mode, string(ml.DataCollectionModeEnabled)) {
			gaps = append(gaps, name+" is not collected")
		}
	}
	observed := map[string]any{"dataCollector.collections": got}
	if len(gaps) > 0 {
		return fail(observed, expected, fmt.Sprintf("deployment %s: %s", d.name,
			strings.Join(gaps, ", ")))
	}
	return pass(observed, expected)
}

// networkIsolation checks, where the register asks for isolation, that the
// deployment cannot reach the public internet.
func (a *endpointAudit) networkIsolation(d *deploymentView) verdict {
	if a.system == nil || a.system.Deployment == nil ||
		!a.system.Deployment.RequireNetworkIsolation {
		return notApplicable(a.noExpectation("network isolation"))
	}
	expected := map[string]any{"egressPublicNetworkAccess": "Disabled"}
	got := string(ml.EgressPublicNetworkAccessTypeEnabled)
	if d.props != nil && d.props.EgressPublicNetworkAccess != nil {
		got = string(*d.props.EgressPublicNetworkAccess)
	}
	observed := map[string]any{"egressPublicNetworkAccess": got}
	if strings.EqualFold(got, string(ml.EgressPublicNetworkAccessTypeDisabled)) {
		return pass(observed, expected, a.docURI(a.system))
	}
	return fail(observed, expected, fmt.Sprintf("deployment %s has egress public network "+
		"access %s", d.name, got), a.docURI(a.system))
}
