package register

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// fairnessMetrics are judged per sensitive set; performanceMetrics on the
// overall value; driftMetrics by the drift checks.
var (
	fairnessMetrics = map[string]bool{
		"demographic_parity_difference": true, "demographic_parity_ratio": true,
		"equalized_odds_difference": true, "equalized_odds_ratio": true,
		"equal_opportunity_difference": true, "equal_opportunity_ratio": true,
	}
	performanceMetrics = map[string]bool{
		"accuracy": true, "precision": true, "selection_rate": true,
		"true_positive_rate": true, "false_positive_rate": true,
		"true_negative_rate": true, "false_negative_rate": true,
	}
	driftMetrics = map[string]bool{
		"psi": true, "psi_quantile": true, "kl_div": true, "jensenshannon": true,
		"wasserstein": true, "ks": true, "chisquare": true, "z": true,
	}
)

// IsFairness reports whether the bound is judged per sensitive set.
func (b Bound) IsFairness() bool { return fairnessMetrics[b.Metric] }

// IsDrift reports whether the bound belongs to the drift checks.
func (b Bound) IsDrift() bool { return b.Column != "" || driftMetrics[b.Metric] }

// Breaks reports whether value lies outside the bound.
func (b Bound) Breaks(value float64) bool {
	return (b.Min != nil && value < *b.Min) || (b.Max != nil && value > *b.Max)
}

func (s *System) validate(loc string) error {
	if s.ID == "" {
		return badinput.Errorf(loc, 0, "id", "missing")
	}
	for i, b := range s.Envelope {
		if err := b.validate(loc, fmt.Sprintf("envelope[%d]", i)); err != nil {
			return err
		}
	}
	if err := validateSets(loc, "evaluation.sensitive", s.Evaluation.Sensitive); err != nil {
		return err
	}
	if err := s.validateCoverage(loc); err != nil {
		return err
	}
	if s.gated() {
		required := []struct{ field, value string }{
			{"evaluation.label", s.Evaluation.Label},
			{"evaluation.prediction", s.Evaluation.Prediction},
			{"evaluation.positive", s.Evaluation.Positive},
		}
		for _, r := range required {
			if r.value == "" {
				return badinput.Errorf(loc, 0, r.field, "missing, but the envelope has bounds to judge")
			}
		}
	}
	if s.Evaluation.MinGroupSize < 0 {
		return badinput.Errorf(loc, 0, "evaluation.minGroupSize", "negative")
	}
	return nil
}

// gated reports whether the envelope holds bounds the promotion gate judges.
func (s *System) gated() bool {
	for _, b := range s.Envelope {
		if !b.IsDrift() {
			return true
		}
	}
	return false
}

func (b Bound) validate(loc, field string) error {
	known := fairnessMetrics[b.Metric] || performanceMetrics[b.Metric] || driftMetrics[b.Metric]
	switch {
	case !known:
		return badinput.Errorf(loc, 0, field+".metric", "unknown metric %q", b.Metric)
	case b.Min == nil && b.Max == nil:
		return badinput.Errorf(loc, 0, field, "bound on %s has neither min nor max", b.Metric)
	case b.Method != "" && b.Method != "between_groups" && b.Method != "to_overall":
		return badinput.Errorf(loc, 0, field+".method",
			"want between_groups or to_overall, got %q", b.Method)
	case b.Agg != "" && b.Agg != "worst_case" && b.Agg != "mean":
		return badinput.Errorf(loc, 0, field+".agg", "want worst_case or mean, got %q", b.Agg)
	}
	return validateSets(loc, field+".sensitive", b.Sensitive)
}

func validateSets(loc, field string, sets [][]string) error {
	for i, set := range sets {
		if len(set) == 0 {
			return badinput.Errorf(loc, 0, fmt.Sprintf("%s[%d]", field, i), "empty sensitive set")
		}
		for j, col := range set {
			if col == "" {
				return badinput.Errorf(loc, 0, fmt.Sprintf("%s[%d][%d]", field, i, j), "empty column name")
			}
		}
	}
	return nil
}

var assessmentStatuses = map[string]bool{
	"draft": true, "approved": true, "withdrawn": true, "expired": true,
}

func (a *Assessment) validate(loc string) error {
	switch {
	case a.ID == "":
		return badinput.Errorf(loc, 0, "id", "missing")
	case !assessmentStatuses[a.Status]:
		return badinput.Errorf(loc, 0, "status",
			"want draft, approved, withdrawn or expired, got %q", a.Status)
	}
	if a.NextReviewDue != "" {
		if _, err := time.Parse(time.DateOnly, a.NextReviewDue); err != nil {
			return badinput.Errorf(loc, 0, "nextReviewDue",
				"want a date YYYY-MM-DD, got %q", a.NextReviewDue)
		}
	}
	return nil
}

// validateCoverage refuses an envelope whose bounds could be judged silently
// wrong: a fairness bound that applies to no sensitive set would never be
// judged, and two bounds on one metric and set would share a finding id, so
// one verdict would hide the other's alert.
func (s *System) validateCoverage(loc string) error {
	seen := map[string]int{}
	for i, b := range s.Envelope {
		if b.IsDrift() {
			continue
		}
		field := fmt.Sprintf("envelope[%d]", i)
		sets := [][]string{nil}
		if b.IsFairness() {
			sets = b.Sensitive
			if len(sets) == 0 {
				sets = s.Evaluation.Sensitive
			}
			if len(sets) == 0 {
				return badinput.Errorf(loc, 0, field+".sensitive",
					"%s applies to no sensitive set: name one here or in evaluation.sensitive", b.Metric)
			}
		}
		for _, set := range sets {
			key := b.Metric + "[" + setKey(set) + "]"
			if j, dup := seen[key]; dup {
				return badinput.Errorf(loc, 0, field, "bounds %s on %s: envelope[%d] already bounds it; "+
					"give one bound both min and max", b.Metric, setKey(set), j)
			}
			seen[key] = i
		}
	}
	return nil
}

func setKey(set []string) string {
	cols := slices.Clone(set)
	slices.Sort(cols)
	return strings.Join(cols, ",")
}
