package deployment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
)

// Model card statuses as the API spells them.
const cardApproved = "Approved"

// cardPresent checks that the package has a model card: the one it names,
// or one found by the package it describes.
func (a *audit) cardPresent(p *packageView) verdict {
	named := p.pkg.Metadata[modelregistry.KeyModelCard]
	observed := map[string]any{"modelPackageArn": p.pkg.ARN,
		modelregistry.KeyModelCard: nullIf(named)}
	expected := map[string]any{"modelCard": "a SageMaker model card of this package"}
	switch c := p.card; {
	case p.cardSearch.unknown != "":
		return unknown(observed, expected, "searching the model cards: "+p.cardSearch.unknown,
			p.uri)
	case c == nil:
		return fail(observed, expected, fmt.Sprintf("model package %s names no card in %s and no "+
			"model card's model_package_details names its group", p.pkg.ARN,
			modelregistry.KeyModelCard), p.uri)
	case c.read.missing:
		return fail(observed, expected, fmt.Sprintf("model package %s names model card %q, which "+
			"does not exist", p.pkg.ARN, c.name), p.uri)
	case c.read.unknown != "":
		return unknown(observed, expected, "model card "+c.name+": "+c.read.unknown, p.uri)
	}
	observed["modelCard"] = p.card.name
	observed["foundBy"] = map[bool]string{true: modelregistry.KeyModelCard,
		false: "model_package_details"}[p.cardNamed]
	return pass(observed, expected, p.uri, p.card.uri)
}

// readCard returns the package's card when it was read, or the verdict
// that stands in for a card check without one.
func readCard(p *packageView) (*cardView, *verdict) {
	c := p.card
	switch {
	case p.cardSearch.unknown != "":
		v := unknown(nil, nil, "searching the model cards: "+p.cardSearch.unknown, p.uri)
		return nil, &v
	case c == nil || c.read.missing:
		v := notApplicable("no model card to judge", p.uri)
		return nil, &v
	case c.read.unknown != "":
		v := unknown(map[string]any{"modelCard": c.name}, nil,
			"model card "+c.name+": "+c.read.unknown, p.uri)
		return nil, &v
	}
	return c, nil
}

func (a *audit) cardApproved(p *packageView) verdict {
	c, instead := readCard(p)
	if instead != nil {
		return *instead
	}
	status := string(c.out.ModelCardStatus)
	observed := map[string]any{"modelCard": c.name, "status": status,
		"version": aws.ToInt32(c.out.ModelCardVersion)}
	expected := map[string]any{"status": cardApproved}
	if status == cardApproved {
		return pass(observed, expected, c.uri)
	}
	return fail(observed, expected, fmt.Sprintf("model card %s is %s, not Approved", c.name,
		status), c.uri)
}

// cardMatches checks that the card documents this very package version,
// not an earlier one of the same model.
func (a *audit) cardMatches(p *packageView) verdict {
	c, instead := readCard(p)
	if instead != nil {
		return *instead
	}
	observed := map[string]any{"modelCard": c.name, "model_package_details": c.details}
	expected := map[string]any{"model_package_arn": p.pkg.ARN}
	switch {
	case c.contentErr != "":
		return fail(observed, expected, "model card "+c.name+": "+c.contentErr, c.uri, p.uri)
	case c.details == nil:
		return fail(observed, expected, fmt.Sprintf("model card %s has no model_package_details",
			c.name), c.uri, p.uri)
	case !c.details.describes(p.pkg):
		return fail(observed, expected, fmt.Sprintf("model card %s describes %s, not %s", c.name,
			c.details.what(), p.pkg.ARN), c.uri, p.uri)
	}
	return pass(observed, expected, c.uri, p.uri)
}

// what names the package the details describe, for a reason.
func (d *packageDetails) what() string {
	if d.ARN != "" {
		return d.ARN
	}
	return fmt.Sprintf("%s version %v", orNone(d.Group), d.Version)
}

// dataCapture checks the audited configuration's data capture and, for
// the configuration in service, that the endpoint has not stopped it.
func (a *audit) dataCapture() verdict {
	dc := a.config.DataCaptureConfig
	expected := map[string]any{"enableCapture": true, "destinationS3Uri": "an s3:// URI"}
	if dc == nil {
		return fail(map[string]any{"dataCaptureConfig": nil}, expected,
			fmt.Sprintf("endpoint config %s has no data capture configuration", a.configName))
	}
	observed := map[string]any{"enableCapture": dc.EnableCapture,
		"destinationS3Uri":          dc.DestinationS3Uri,
		"initialSamplingPercentage": dc.InitialSamplingPercentage}
	var gaps []string
	if !aws.ToBool(dc.EnableCapture) {
		gaps = append(gaps, "capture is not enabled")
	}
	if aws.ToString(dc.DestinationS3Uri) == "" {
		gaps = append(gaps, "no destination is set")
	}
	if dc.InitialSamplingPercentage != nil && *dc.InitialSamplingPercentage == 0 {
		gaps = append(gaps, "the sampling percentage is 0")
	}
	if s := a.endpoint.DataCaptureConfig; !a.pending && s != nil && s.CaptureStatus == "Stopped" {
		observed["captureStatus"] = string(s.CaptureStatus)
		gaps = append(gaps, "the endpoint has stopped capturing")
	}
	if len(gaps) > 0 {
		return fail(observed, expected, fmt.Sprintf("endpoint config %s: %s", a.configName,
			strings.Join(gaps, ", ")))
	}
	return pass(observed, expected)
}

// monitored checks that a Scheduled monitoring schedule of every type the
// register asks for watches the endpoint.
func (a *audit) monitored() verdict {
	d := a.deployment()
	if d == nil || len(d.MonitoringTypes) == 0 {
		return notApplicable(a.noExpectation("monitoring types"))
	}
	m := a.monitoring
	expected := map[string]any{"monitoringTypes": d.MonitoringTypes,
		"status": scheduleStatusScheduled}
	observed := map[string]any{"schedules": m.schedules}
	if m.unknown != "" {
		return unknown(observed, expected, m.unknown, m.uri, a.docURI(a.system))
	}
	var missing []string
	for _, t := range d.MonitoringTypes {
		if !slices.ContainsFunc(m.schedules, func(s schedule) bool {
			return s.Type == t && s.Status == scheduleStatusScheduled
		}) {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fail(observed, expected, fmt.Sprintf("endpoint %s has no Scheduled monitoring "+
			"schedule of type %s", a.endpointName, strings.Join(missing, ", ")),
			m.uri, a.docURI(a.system))
	}
	return pass(observed, expected, m.uri, a.docURI(a.system))
}

func (a *audit) encryption() verdict {
	d := a.deployment()
	if d == nil || !d.RequireKMS {
		return notApplicable(a.noExpectation("KMS"))
	}
	observed := map[string]any{"kmsKeyId": a.config.KmsKeyId}
	expected := map[string]any{"kmsKeyId": "a KMS key"}
	if aws.ToString(a.config.KmsKeyId) != "" {
		return pass(observed, expected, a.docURI(a.system))
	}
	return fail(observed, expected, fmt.Sprintf("endpoint config %s sets no KmsKeyId",
		a.configName), a.docURI(a.system))
}

func (a *audit) networkIsolation(v *variant) verdict {
	d := a.deployment()
	if d == nil || !d.RequireNetworkIsolation {
		return notApplicable(a.noExpectation("network isolation"))
	}
	expected := map[string]any{"enableNetworkIsolation": true}
	m := v.model
	switch {
	case m == nil:
		return unknown(nil, expected, "the variant names no model")
	case m.read.missing:
		return fail(map[string]any{"model": m.name}, expected,
			fmt.Sprintf("the variant's model %q does not exist", m.name))
	case m.read.unknown != "":
		return unknown(map[string]any{"model": m.name}, expected,
			"model "+m.name+": "+m.read.unknown)
	}
	observed := map[string]any{"model": m.name,
		"enableNetworkIsolation": m.out.EnableNetworkIsolation}
	if aws.ToBool(m.out.EnableNetworkIsolation) {
		return pass(observed, expected, m.uri, a.docURI(a.system))
	}
	return fail(observed, expected, fmt.Sprintf("model %s does not enable network isolation",
		m.name), m.uri, a.docURI(a.system))
}

// noExpectation says why a register-driven check does not apply.
func (a *audit) noExpectation(what string) string {
	switch {
	case a.system == nil:
		return "no single system of the register claims the endpoint, so nothing is asked of it"
	case a.system.Deployment == nil:
		return fmt.Sprintf("system %s declares no deployment expectations", a.system.ID)
	}
	return fmt.Sprintf("system %s does not ask for %s", a.system.ID, what)
}
