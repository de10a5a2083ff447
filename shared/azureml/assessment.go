package azureml

import (
	"fmt"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/register"
)

// reviewInterval is the system's review interval, 0 without a system.
func reviewInterval(s *register.System) int {
	if s == nil {
		return 0
	}
	return s.ImpactAssessment.ReviewIntervalDays
}

// assessmentGap names the first way the assessment fails to cover the
// model version on the day at, by the register's rules; "" when it covers
// it. known is false when its review date cannot be told.
func assessmentGap(ia *register.Assessment, s *register.System, ref ModelRef, ws Workspace,
	at time.Time) (gap string, known bool) {
	due, known := ia.ReviewDue(reviewInterval(s))
	switch {
	case !ia.Approved():
		return fmt.Sprintf("assessment %s is %s, not approved", ia.ID, ia.Status), known
	case s != nil && ia.System != s.ID:
		return fmt.Sprintf("assessment %s is for system %q, not %q", ia.ID, ia.System, s.ID), known
	case !coversModel(ia, ws, ref.Name, ref.Version):
		return fmt.Sprintf("assessment %s does not cover model %s version %s of workspace %s",
			ia.ID, ref.Name, ref.Version, ws.Name), known
	case known && !register.CurrentAt(due, at):
		return fmt.Sprintf("assessment %s was due for review on %s", ia.ID,
			due.Format(time.DateOnly)), known
	}
	return "", known
}

func reviewDue(ia *register.Assessment, s *register.System) any {
	due, ok := ia.ReviewDue(reviewInterval(s))
	if !ok {
		return nil
	}
	return due.Format(time.DateOnly)
}
