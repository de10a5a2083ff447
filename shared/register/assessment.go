package register

import (
	"slices"
	"time"
)

// Approved reports whether the assessment's status counts: only "approved"
// does; drafts, withdrawn and expired assessments never cover anything.
func (a *Assessment) Approved() bool { return a.Status == "approved" }

// CoversPackage reports whether the assessment was made for this version of
// this model package group.
func (a *Assessment) CoversPackage(group string, version int) bool {
	return a.Covers.ModelPackageGroup == group && slices.Contains(a.Covers.Versions, version)
}

// ReviewDue is the last day on which the assessment is current: its
// nextReviewDue, or else its approval date plus the system's review
// interval. ok is false when neither is known, which leaves currency
// undecidable rather than assumed.
func (a *Assessment) ReviewDue(intervalDays int) (due time.Time, ok bool) {
	if a.NextReviewDue != "" {
		d, err := time.Parse(time.DateOnly, a.NextReviewDue)
		return d, err == nil
	}
	if a.ApprovedAt.IsZero() || intervalDays <= 0 {
		return time.Time{}, false
	}
	y, m, d := a.ApprovedAt.UTC().AddDate(0, 0, intervalDays).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
}

// CurrentAt reports whether at falls on or before the review due date, in UTC.
func CurrentAt(due, at time.Time) bool {
	y, m, d := at.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return !today.After(due)
}
