package deployment

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// scheduleStatusScheduled is the status of a schedule that runs.
const scheduleStatusScheduled = "Scheduled"

// schedule is one monitoring schedule of the endpoint, reduced to what the
// check compares.
type schedule struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Status string `json:"status"`
}

// monitoring is what the check learnt about the endpoint's schedules.
type monitoring struct {
	schedules []schedule
	uri       string
	// unknown says why the schedules could not be listed; any failure
	// counts, since it leaves the signal unknown rather than absent.
	unknown string
}

// monitoringEvidence is the evidence object: the raw answers, or the error.
type monitoringEvidence struct {
	Summaries []any  `json:"summaries"`
	Described []any  `json:"described"`
	Error     string `json:"error,omitempty"`
}

// collectMonitoring lists the endpoint's monitoring schedules, describing
// those whose summary does not say their type. A failure of these calls
// makes the monitoring check indeterminate instead of stopping the run, so
// the rest of the audit still reports.
func (a *audit) collectMonitoring(ctx context.Context) error {
	ev := monitoringEvidence{Summaries: []any{}, Described: []any{}}
	m := &monitoring{}
	if err := a.listSchedules(ctx, m, &ev); err != nil {
		m.unknown = "could not read the endpoint's monitoring schedules: " + err.Error()
		m.schedules = nil
		ev.Error = err.Error()
	}
	uri, err := a.putJSON(ctx, "monitoring-schedules.json", ev)
	if err != nil {
		return fmt.Errorf("keep monitoring schedules: %w", err)
	}
	m.uri = uri
	a.monitoring = m
	return nil
}

func (a *audit) listSchedules(ctx context.Context, m *monitoring, ev *monitoringEvidence) error {
	pages := sagemaker.NewListMonitoringSchedulesPaginator(a.check.SageMaker,
		&sagemaker.ListMonitoringSchedulesInput{EndpointName: aws.String(a.endpointName)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list monitoring schedules: %w", err)
		}
		for _, s := range page.MonitoringScheduleSummaries {
			ev.Summaries = append(ev.Summaries, s)
			sc := schedule{Name: aws.ToString(s.MonitoringScheduleName),
				Type: string(s.MonitoringType), Status: string(s.MonitoringScheduleStatus)}
			if sc.Type == "" {
				out, err := a.describeSchedule(ctx, sc.Name)
				if err != nil {
					return err
				}
				ev.Described = append(ev.Described, out)
				sc.Type = typeOf(out)
			}
			m.schedules = append(m.schedules, sc)
		}
	}
	return nil
}

func (a *audit) describeSchedule(ctx context.Context, name string) (
	*sagemaker.DescribeMonitoringScheduleOutput, error) {
	out, err := a.check.SageMaker.DescribeMonitoringSchedule(ctx,
		&sagemaker.DescribeMonitoringScheduleInput{MonitoringScheduleName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("describe monitoring schedule %s: %w", name, err)
	}
	return out, nil
}

// typeOf takes a schedule's type from its description; a schedule made
// with an inline job definition is a data quality schedule.
func typeOf(out *sagemaker.DescribeMonitoringScheduleOutput) string {
	if out.MonitoringType != "" {
		return string(out.MonitoringType)
	}
	if c := out.MonitoringScheduleConfig; c != nil && c.MonitoringType != "" {
		return string(c.MonitoringType)
	}
	return "DataQuality"
}
