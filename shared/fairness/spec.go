package fairness

import (
	"fmt"
	"slices"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Methods and aggregations of fairlearn's difference and ratio functions.
const (
	BetweenGroups = "between_groups"
	ToOverall     = "to_overall"
	WorstCase     = "worst_case"
	Mean          = "mean"
)

// Spec says which columns of an evaluation file hold what, and how to
// aggregate. Label, Prediction, Positive and at least one set are required.
type Spec struct {
	// Label and Prediction name the observed and predicted class columns.
	Label, Prediction string
	// Positive is the positive class; every label and prediction must be it
	// or the one other value found in those two columns.
	Positive string
	// Weight optionally names a column of sample weights.
	Weight string
	// Sets lists the sensitive sets; a set of several columns forms
	// intersectional groups.
	Sets [][]string
	// Method is BetweenGroups (default) or ToOverall; Agg is WorstCase
	// (default) or Mean, used by the equalized odds metrics.
	Method, Agg string
	// Facet, when set, adds SageMaker Clarify's post-training metrics.
	Facet *Facet
}

// Facet is Clarify's disadvantaged group d: rows whose Column equals Value.
type Facet struct {
	Column, Value string
}

// normalize fills the defaults and checks the spec, naming the faulty field
// the way the command line spells it.
func (s Spec) normalize() (Spec, error) {
	if s.Method == "" {
		s.Method = BetweenGroups
	}
	if s.Agg == "" {
		s.Agg = WorstCase
	}
	checks := []struct {
		bad   bool
		field string
		msg   string
	}{
		{s.Label == "", "--label", "required"},
		{s.Prediction == "", "--prediction", "required"},
		{s.Positive == "", "--positive", "required"},
		{len(s.Sets) == 0, "--sensitive", "at least one set is required"},
		{s.Method != BetweenGroups && s.Method != ToOverall, "--method",
			fmt.Sprintf("%q is neither %s nor %s", s.Method, BetweenGroups, ToOverall)},
		{s.Agg != WorstCase && s.Agg != Mean, "--agg",
			fmt.Sprintf("%q is neither %s nor %s", s.Agg, WorstCase, Mean)},
		{s.Facet != nil && (s.Facet.Column == "" || s.Facet.Value == ""), "--facet",
			"needs COL=VALUE"},
	}
	for _, c := range checks {
		if c.bad {
			return s, badinput.Errorf("", 0, c.field, "%s", c.msg)
		}
	}
	for i, set := range s.Sets {
		if len(set) == 0 {
			return s, badinput.Errorf("", 0, "--sensitive", "set %d is empty", i+1)
		}
		for j, col := range set {
			if col == "" {
				return s, badinput.Errorf("", 0, "--sensitive", "set %d names an empty column", i+1)
			}
			if slices.Contains(set[:j], col) {
				return s, badinput.Errorf("", 0, "--sensitive", "set %d names %s twice", i+1, col)
			}
		}
	}
	return s, nil
}
