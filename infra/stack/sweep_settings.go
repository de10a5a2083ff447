package stack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// SweepTarget is one AWS account of the posture sweep, in the shape of
// AIMS_TARGETS (CONTRACTS.md). RoleName, when set, is the role the sweep
// assumes in that account; without it the sweep uses its own role, which
// suits the stack's own account only.
type SweepTarget struct {
	Account  string   `json:"account"`
	Regions  []string `json:"regions,omitempty"`
	RoleName string   `json:"roleName,omitempty"`
}

var (
	accountPattern = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
	// roleNamePattern is IAM's role name rule without paths; it admits no
	// wildcard, which would widen the sts:AssumeRole grant.
	roleNamePattern = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)
	guidPattern     = regexp.MustCompile(
		`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// scheduleRatePattern and scheduleCronPattern are the two recurring
	// forms of an EventBridge Scheduler expression.
	scheduleRatePattern = regexp.MustCompile(`^rate\([1-9][0-9]* (minute|hour|day)s?\)$`)
	scheduleCronPattern = regexp.MustCompile(`^cron\(\S+( \S+){5}\)$`)
)

// validateSweep checks the posture sweep's settings, naming the context key
// at fault.
func (p AimsAuditStackProps) validateSweep() error {
	if !scheduleRatePattern.MatchString(p.SweepSchedule) &&
		!scheduleCronPattern.MatchString(p.SweepSchedule) {
		return fmt.Errorf("%s: %q, want cron(min hour day month weekday year) or "+
			"rate(N unit)", CtxSweepSchedule, p.SweepSchedule)
	}
	for i, t := range p.Targets {
		if err := t.validate(); err != nil {
			return fmt.Errorf("%s[%d].%w", CtxTargets, i, err)
		}
	}
	for _, s := range p.AzureSubscriptions {
		if !guidPattern.MatchString(s) {
			return fmt.Errorf("%s: %q is not a subscription id", CtxAzureSubscriptions, s)
		}
	}
	return nil
}

func (t SweepTarget) validate() error {
	if !accountPattern.MatchString(t.Account) {
		return fmt.Errorf("account: %q, want a 12-digit account id", t.Account)
	}
	for j, r := range t.Regions {
		if !regionPattern.MatchString(r) {
			return fmt.Errorf("regions[%d]: %q is not a region", j, r)
		}
	}
	if t.RoleName != "" && !roleNamePattern.MatchString(t.RoleName) {
		return fmt.Errorf("roleName: %q is not an IAM role name (no path, no wildcard)",
			t.RoleName)
	}
	return nil
}

// targetsJSON renders AIMS_TARGETS; "" when no target is given, which the
// sweep reads as its own account and region.
func targetsJSON(targets []SweepTarget) string {
	if len(targets) == 0 {
		return ""
	}
	b, err := json.Marshal(targets)
	if err != nil {
		panic(fmt.Errorf("encode targets: %w", err)) // plain strings cannot fail
	}
	return string(b)
}

// targetRoles are the distinct (account, role name) pairs the sweep may
// assume, sorted so that the template reads the same on every synth.
func targetRoles(targets []SweepTarget) [][2]string {
	var roles [][2]string
	for _, t := range targets {
		if t.RoleName != "" {
			roles = append(roles, [2]string{t.Account, t.RoleName})
		}
	}
	slices.SortFunc(roles, func(a, b [2]string) int {
		return strings.Compare(a[0]+"/"+a[1], b[0]+"/"+b[1])
	})
	return slices.Compact(roles)
}

// decodeTargets reads the targets context value strictly: an unknown field
// is a typo that would silently change what is swept.
func decodeTargets(key string, raw []byte) ([]SweepTarget, error) {
	var ts []SweepTarget
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ts); err != nil {
		return nil, fmt.Errorf("context %s: want a JSON list of {account, regions, "+
			"roleName}: %w", key, err)
	}
	return ts, nil
}
