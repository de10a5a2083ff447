// Package findings defines the record every audit check emits, with a stable
// id so that re-runs update a finding instead of duplicating it, and the
// catalogue that gives each check its gap type, severity and controls.
package findings

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Status is the outcome of one check on one resource.
type Status string

// Statuses of CONTRACTS.md. NotApplicable never blocks anything.
const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	Indeterminate Status = "indeterminate"
	Latent        Status = "latent"
	NotApplicable Status = "not_applicable"
)

// Alerting reports whether a finding in this status needs the GRC team's
// attention: failing, unknown, or exposed once a masking setting changes.
func (s Status) Alerting() bool {
	return s == Fail || s == Indeterminate || s == Latent
}

// Blocking reports whether this status stops a promotion.
func (s Status) Blocking() bool {
	return s == Fail || s == Indeterminate
}

// Gap tells a missing document or decision from a system that does not
// behave as documented.
type Gap string

// Gap types.
const (
	Governance Gap = "governance"
	System     Gap = "system"
)

// Severity of a finding.
type Severity string

// Severities, most urgent first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
)

// Finding is one check's verdict on one resource. Observed and Expected hold
// whatever values the check compared, so an auditor sees what it saw.
type Finding struct {
	ID        string    `json:"id"`
	Check     string    `json:"check"`
	Resource  string    `json:"resource"`
	Qualifier string    `json:"qualifier"`
	System    *string   `json:"system"`
	Status    Status    `json:"status"`
	Gap       Gap       `json:"gap"`
	Severity  Severity  `json:"severity"`
	Controls  []string  `json:"controls"`
	Observed  any       `json:"observed"`
	Expected  any       `json:"expected"`
	Reason    string    `json:"reason,omitempty"`
	Evidence  []string  `json:"evidence"`
	Time      time.Time `json:"time"`
}

// ID is the stable identity of a check's finding on a resource: the hex
// SHA-256 of the three parts, separated by NUL so no two triples collide.
func ID(check, resource, qualifier string) string {
	sum := sha256.Sum256([]byte(check + "\x00" + resource + "\x00" + qualifier))
	return hex.EncodeToString(sum[:])
}

// New builds a finding with its id, gap, severity and controls taken from the
// catalogue. system is empty for a resource no register entry names.
func New(check, resource, qualifier, system string, status Status, at time.Time) Finding {
	def := Lookup(check)
	f := Finding{
		ID:        ID(check, resource, qualifier),
		Check:     check,
		Resource:  resource,
		Qualifier: qualifier,
		Status:    status,
		Gap:       def.Gap,
		Severity:  def.severityFor(status),
		Controls:  def.Controls,
		Evidence:  []string{},
		Time:      at.UTC(),
	}
	if system != "" {
		f.System = &system
	}
	return f
}
