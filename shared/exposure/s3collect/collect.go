package s3collect

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
)

// Calls counts the API calls one bucket's snapshot cost, so a sweep can be
// held to its budget: the bucket's own calls, and its access points' apart.
// The account's Block Public Access is read once per collector and counted
// in neither.
type Calls struct {
	Bucket       int
	AccessPoints int
}

// Collector reads bucket snapshots of one account.
type Collector struct {
	s3      BucketAPI
	control ControlAPI
	account string

	once       sync.Once
	accountPAB *exposure.PublicAccessBlock
	accountErr string
}

// New returns a collector for the buckets of account.
func New(s3api BucketAPI, control ControlAPI, account string) *Collector {
	return &Collector{s3: s3api, control: control, account: account}
}

// bucketRun is one bucket's collection in progress.
type bucketRun struct {
	ctx   context.Context
	c     *Collector
	snap  exposure.S3Bucket
	calls Calls
}

// Bucket collects one bucket's snapshot. It never fails: every call that
// fails is recorded in the snapshot's errors for the engine to weigh.
func (c *Collector) Bucket(ctx context.Context, bucket string) (exposure.S3Bucket, Calls) {
	r := &bucketRun{ctx: ctx, c: c, snap: exposure.S3Bucket{
		Kind: exposure.KindS3Bucket, Account: c.account, Bucket: bucket,
		AccessPoints: []exposure.AccessPoint{}, Errors: map[string]string{},
	}}
	pab, err := c.accountBlock(ctx)
	r.snap.AccountPublicAccessBlock = pab
	r.record("accountPublicAccessBlock", err)
	r.bucketBlock()
	r.policy()
	r.policyStatus()
	r.acl()
	r.ownership()
	r.website()
	r.accessPoints()
	return r.snap, r.calls
}

// accountBlock reads the account's Block Public Access once, since it is
// the same for every bucket of the account.
func (c *Collector) accountBlock(ctx context.Context) (*exposure.PublicAccessBlock, string) {
	c.once.Do(func() {
		out, err := c.control.GetPublicAccessBlock(ctx,
			&s3control.GetPublicAccessBlockInput{AccountId: aws.String(c.account)})
		code, failed := classify(err)
		switch {
		case failed:
			c.accountErr = code
		case err == nil:
			c.accountPAB = controlBlock(out.PublicAccessBlockConfiguration)
		}
	})
	return c.accountPAB, c.accountErr
}

// record notes a failed call's code under the snapshot path it should have
// filled.
func (r *bucketRun) record(path, code string) {
	if code != "" {
		r.snap.Errors[path] = code
	}
}

// call counts one bucket call and classifies its error; ok is true when the
// call answered with a value.
func (r *bucketRun) call(path string, err error) (ok bool) {
	r.calls.Bucket++
	code, failed := classify(err)
	if failed {
		r.record(path, code)
	}
	return err == nil
}

func (r *bucketRun) bucketBlock() {
	out, err := r.c.s3.GetPublicAccessBlock(r.ctx,
		&s3.GetPublicAccessBlockInput{Bucket: &r.snap.Bucket})
	if r.call("bucketPublicAccessBlock", err) {
		r.snap.BucketPublicAccessBlock = bucketBlock(out.PublicAccessBlockConfiguration)
	}
}

func (r *bucketRun) policy() {
	out, err := r.c.s3.GetBucketPolicy(r.ctx, &s3.GetBucketPolicyInput{Bucket: &r.snap.Bucket})
	if r.call("policy", err) && out.Policy != nil {
		r.snap.Policy = out.Policy
	}
}

// policyStatus keeps S3's own judgement for comparison; an empty answer
// (as moto gives) stays null.
func (r *bucketRun) policyStatus() {
	out, err := r.c.s3.GetBucketPolicyStatus(r.ctx,
		&s3.GetBucketPolicyStatusInput{Bucket: &r.snap.Bucket})
	if r.call("policyStatus", err) && out.PolicyStatus != nil {
		r.snap.PolicyStatus = out.PolicyStatus.IsPublic
	}
}

func (r *bucketRun) acl() {
	out, err := r.c.s3.GetBucketAcl(r.ctx, &s3.GetBucketAclInput{Bucket: &r.snap.Bucket})
	if !r.call("acl", err) {
		return
	}
	acl := &exposure.ACL{Grants: []exposure.Grant{}}
	if out.Owner != nil {
		acl.Owner = &exposure.Owner{ID: aws.ToString(out.Owner.ID),
			DisplayName: aws.ToString(out.Owner.DisplayName)}
	}
	for _, g := range out.Grants {
		acl.Grants = append(acl.Grants, grant(g))
	}
	r.snap.ACL = acl
}

func grant(g s3types.Grant) exposure.Grant {
	out := exposure.Grant{Permission: string(g.Permission)}
	if g.Grantee != nil {
		out.Grantee = exposure.Grantee{
			Type: string(g.Grantee.Type), ID: aws.ToString(g.Grantee.ID),
			URI: aws.ToString(g.Grantee.URI), DisplayName: aws.ToString(g.Grantee.DisplayName),
			EmailAddress: aws.ToString(g.Grantee.EmailAddress),
		}
	}
	return out
}

func (r *bucketRun) ownership() {
	out, err := r.c.s3.GetBucketOwnershipControls(r.ctx,
		&s3.GetBucketOwnershipControlsInput{Bucket: &r.snap.Bucket})
	if !r.call("ownership", err) || out.OwnershipControls == nil {
		return
	}
	for _, rule := range out.OwnershipControls.Rules {
		r.snap.Ownership = aws.String(string(rule.ObjectOwnership))
	}
}

func (r *bucketRun) website() {
	_, err := r.c.s3.GetBucketWebsite(r.ctx, &s3.GetBucketWebsiteInput{Bucket: &r.snap.Bucket})
	r.snap.Website = r.call("website", err)
}

// accessPoints lists the bucket's access points, page by page, then reads
// each one's Block Public Access and policy.
func (r *bucketRun) accessPoints() {
	var token *string
	for {
		out, err := r.c.control.ListAccessPoints(r.ctx, &s3control.ListAccessPointsInput{
			AccountId: aws.String(r.c.account), Bucket: &r.snap.Bucket, NextToken: token})
		if !r.call("accessPoints", err) {
			r.snap.AccessPoints = []exposure.AccessPoint{}
			return
		}
		for _, ap := range out.AccessPointList {
			r.snap.AccessPoints = append(r.snap.AccessPoints, r.accessPoint(ap))
		}
		if token = out.NextToken; token == nil || *token == "" {
			return
		}
	}
}

func (r *bucketRun) accessPoint(ap ctltypes.AccessPoint) exposure.AccessPoint {
	name := aws.ToString(ap.Name)
	out := exposure.AccessPoint{Name: name, NetworkOrigin: string(ap.NetworkOrigin)}
	got, err := r.c.control.GetAccessPoint(r.ctx, &s3control.GetAccessPointInput{
		AccountId: aws.String(r.c.account), Name: &name})
	if r.apCall(name, "publicAccessBlock", err) {
		out.PublicAccessBlock = controlBlock(got.PublicAccessBlockConfiguration)
		if got.NetworkOrigin != "" {
			out.NetworkOrigin = string(got.NetworkOrigin)
		}
	}
	pol, err := r.c.control.GetAccessPointPolicy(r.ctx, &s3control.GetAccessPointPolicyInput{
		AccountId: aws.String(r.c.account), Name: &name})
	if r.apCall(name, "policy", err) && pol.Policy != nil && *pol.Policy != "" {
		out.Policy = pol.Policy
	}
	return out
}

func (r *bucketRun) apCall(name, field string, err error) bool {
	r.calls.AccessPoints++
	if code, failed := classify(err); failed {
		r.record(fmt.Sprintf("accessPoints[%s].%s", name, field), code)
	}
	return err == nil
}

func bucketBlock(c *s3types.PublicAccessBlockConfiguration) *exposure.PublicAccessBlock {
	if c == nil {
		return nil
	}
	return &exposure.PublicAccessBlock{
		BlockPublicAcls:       aws.ToBool(c.BlockPublicAcls),
		IgnorePublicAcls:      aws.ToBool(c.IgnorePublicAcls),
		BlockPublicPolicy:     aws.ToBool(c.BlockPublicPolicy),
		RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets),
	}
}

func controlBlock(c *ctltypes.PublicAccessBlockConfiguration) *exposure.PublicAccessBlock {
	if c == nil {
		return nil
	}
	return &exposure.PublicAccessBlock{
		BlockPublicAcls:       aws.ToBool(c.BlockPublicAcls),
		IgnorePublicAcls:      aws.ToBool(c.IgnorePublicAcls),
		BlockPublicPolicy:     aws.ToBool(c.BlockPublicPolicy),
		RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets),
	}
}
