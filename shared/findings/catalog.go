package findings

import "strings"

// Definition is what the catalogue knows about a check.
type Definition struct {
	Gap      Gap
	Severity Severity // when failing
	// Unsure is the severity of an indeterminate or latent finding where it
	// differs from a failing one; empty means the same.
	Unsure   Severity
	Controls []string
}

func (d Definition) severityFor(s Status) Severity {
	switch s {
	case Fail:
		return d.Severity
	case Indeterminate, Latent:
		if d.Unsure != "" {
			return d.Unsure
		}
		return d.Severity
	default:
		return Info
	}
}

func iso(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if strings.Contains(id, ":") {
			out[i] = id
			continue
		}
		out[i] = "ISO42001:" + id
	}
	return out
}

var catalog = map[string]Definition{
	"register.system-found": {Governance, High, "", iso("6.1.4", "A.4.2")},
	"impact-assessment.present": {Governance, Critical, "",
		iso("6.1.4", "8.4", "A.5.2", "A.5.3", "EU-AI-Act:Art.9")},
	"impact-assessment.approved":       {Governance, Critical, "", iso("6.1.4", "A.5.3")},
	"impact-assessment.covers-version": {Governance, High, "", iso("8.4", "A.5.3")},
	"impact-assessment.review-current": {Governance, High, "", iso("8.4")},
	"evaluation.data-present": {System, High, "",
		iso("A.6.2.4", "9.1", "EU-AI-Act:Art.10")},
	"evaluation.claims-match": {System, High, "",
		iso("A.6.2.7", "A.6.2.4", "EU-AI-Act:Art.11")},
	"deployment.package-registered": {System, High, "", iso("A.6.2.5", "A.6.2.7")},
	"deployment.package-approved": {System, Critical, "",
		iso("A.6.2.5", "EU-AI-Act:Art.14")},
	"deployment.model-card-present": {Governance, High, "",
		iso("A.6.2.7", "EU-AI-Act:Art.11")},
	"deployment.model-card-approved":        {Governance, Medium, "", iso("A.6.2.7")},
	"deployment.model-card-matches-version": {System, High, "", iso("A.6.2.7", "EU-AI-Act:Art.11")},
	"deployment.impact-assessment-covers":   {Governance, Critical, "", iso("6.1.4", "8.4")},
	"deployment.data-capture-enabled": {System, Medium, "",
		iso("A.6.2.8", "A.6.2.6", "NIST-AI-RMF:MEASURE-2.4", "EU-AI-Act:Art.12")},
	"deployment.monitoring-scheduled": {System, Medium, "",
		iso("A.6.2.6", "9.1", "NIST-AI-RMF:MANAGE-4.1", "EU-AI-Act:Art.72")},
	"deployment.encryption":        {System, Medium, "", iso("A.6.2.5", "EU-AI-Act:Art.15")},
	"deployment.network-isolation": {System, Medium, "", iso("A.6.2.5", "EU-AI-Act:Art.15")},
	"exposure.s3-bucket": {System, Critical, Medium,
		iso("A.7.5", "A.4.3", "EU-AI-Act:Art.10")},
	"exposure.azure-container": {System, Critical, Medium,
		iso("A.7.5", "A.4.3", "EU-AI-Act:Art.10")},
	"azureml.public-network-access": {System, Medium, "", iso("A.6.2.5", "EU-AI-Act:Art.15")},
	"azureml.key-auth-disabled":     {System, Medium, "", iso("A.6.2.5", "EU-AI-Act:Art.15")},
}

var envelope = Definition{System, High, "",
	iso("A.6.2.4", "A.5.4", "9.1", "NIST-AI-RMF:MEASURE-2.11", "EU-AI-Act:Art.10")}

// Lookup returns the definition of a check. Envelope checks share one
// definition whatever their metric, and Azure ML deployment checks reuse the
// SageMaker deployment check of the same name. An unknown check is a
// programming error and gets a high system gap, so it is never quiet.
func Lookup(check string) Definition {
	if d, ok := catalog[check]; ok {
		return d
	}
	if strings.HasPrefix(check, "envelope.") {
		return envelope
	}
	if rest, ok := strings.CutPrefix(check, "azureml."); ok {
		if d, ok := catalog["deployment."+rest]; ok {
			return d
		}
	}
	return Definition{System, High, "", nil}
}
