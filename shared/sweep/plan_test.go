package sweep

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/aimsaudit/aimsaudit/shared/register"
)

// pagedLister answers ListBuckets in pages of two, with continuation
// tokens, which the emulator does not do.
type pagedLister struct {
	names []string
	calls int
}

func (p *pagedLister) ListBuckets(_ context.Context, in *s3.ListBucketsInput,
	_ ...func(*s3.Options)) (*s3.ListBucketsOutput, error) {
	p.calls++
	start := 0
	if in.ContinuationToken != nil {
		fmt.Sscan(*in.ContinuationToken, &start)
	}
	end := min(start+2, len(p.names))
	out := &s3.ListBucketsOutput{}
	for _, n := range p.names[start:end] {
		out.Buckets = append(out.Buckets, s3types.Bucket{Name: aws.String(n),
			BucketRegion: aws.String(map[bool]string{true: "eu-west-1", false: "us-east-1"}[n > "c"])})
	}
	if end < len(p.names) {
		out.ContinuationToken = aws.String(fmt.Sprint(end))
	}
	return out, nil
}

// TestPlanPagesAndBatches checks that planning follows every page of the
// bucket list, batches per region, and places the register's buckets.
func TestPlanPagesAndBatches(t *testing.T) {
	lister := &pagedLister{names: []string{"a1", "a2", "a3", "d1", "d2"}}
	home := Target{Account: "123456789012", Regions: []string{"us-east-1"}}
	s := &Sweep{Home: home, Targets: []Target{home, home}, BatchSize: 2,
		Connect: func(context.Context, Target, string) (*AWSAccount, error) {
			return &AWSAccount{Buckets: lister}, nil
		}}
	reg := &register.Register{Systems: []*register.System{
		{ID: "b-sys", Storage: []string{"s3://a2", "s3://elsewhere/prefix/"}},
		{ID: "a-sys", Storage: []string{"s3://a2"}},
	}}

	p, err := s.plan(t.Context(), "run1", reg)
	must(t, err)

	if lister.calls != 3 || p.calls.Listing != 3 {
		t.Errorf("got %d list calls (%d counted), want 3 pages, the repeated target once",
			lister.calls, p.calls.Listing)
	}
	var got []string
	for _, b := range p.batches {
		if b.AWS == nil {
			continue
		}
		row := b.AWS.Region + ":"
		for _, r := range b.AWS.Buckets {
			row += " " + r.Name + "/" + r.System
		}
		got = append(got, row)
	}
	want := []string{"eu-west-1: d1/ d2/", "us-east-1: a1/ a2/a-sys", "us-east-1: a3/",
		"us-east-1: elsewhere/b-sys"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got batches %q, want %q", got, want)
	}
	last := p.batches[len(p.batches)-1]
	if last.Register == nil || !last.Register.Assessments || last.Seq != 5 || last.Of != 5 ||
		last.RunID != "run1" {
		t.Errorf("got last batch %+v, want the register's, 5 of 5, of run1", last)
	}
}
