package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
	"github.com/aimsaudit/aimsaudit/shared/sweep"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// exposureCase is one of the handed storage cases that the emulator can
// hold, rebuilt from real settings so the sweep collects it as it would in
// an account. The account-wide Block Public Access case needs an emulator
// of its own and the AccessDenied case a role the emulator cannot refuse;
// the sweep's tests cover both.
type exposureCase struct {
	id, bucket string
	want       findings.Status
	setup      func(ctx context.Context, c *s3.Client, bucket string) error
}

func exposureCases() []exposureCase {
	return []exposureCase{
		{"h01", "case-h01-policy-star", findings.Fail, withPolicy(`"Action":"s3:*",` +
			`"Resource":["arn:aws:s3:::%[1]s","arn:aws:s3:::%[1]s/*"]`)},
		{"h03", "case-h03-vpce-only", findings.Pass, withPolicy(`"Action":"s3:GetObject",` +
			`"Resource":"arn:aws:s3:::%[1]s/*",` +
			`"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`)},
		{"h04", "case-h04-authenticated-users", findings.Fail, authenticatedRead},
		{"h05", "case-h05-not-principal", findings.Fail, withStatement(`"Effect":"Allow",` +
			`"NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/reader"},` +
			`"Action":"s3:GetObject","Resource":"arn:aws:s3:::%[1]s/*"`)},
		{"h09", "case-h09-website-only", findings.Pass, website},
		{"h10", "case-h10-half-the-internet", findings.Fail, withPolicy(
			`"Action":"s3:GetObject","Resource":"arn:aws:s3:::%[1]s/*",` +
				`"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}`)},
		{"h11", "case-h11-restricted", findings.Latent, restricted},
	}
}

// withPolicy grants everyone the statement's rest.
func withPolicy(rest string) func(context.Context, *s3.Client, string) error {
	return withStatement(`"Effect":"Allow","Principal":"*",` + rest)
}

func withStatement(stmt string) func(context.Context, *s3.Client, string) error {
	return func(ctx context.Context, c *s3.Client, bucket string) error {
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{`+stmt+`}]}`, bucket)
		_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &bucket,
			Policy: aws.String(doc)})
		return err
	}
}

func authenticatedRead(ctx context.Context, c *s3.Client, bucket string) error {
	_, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
		Bucket: &bucket, OwnershipControls: &s3types.OwnershipControls{
			Rules: []s3types.OwnershipControlsRule{
				{ObjectOwnership: s3types.ObjectOwnershipObjectWriter}}}})
	if err != nil {
		return err
	}
	_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: &bucket,
		ACL: s3types.BucketCannedACLAuthenticatedRead})
	return err
}

func website(ctx context.Context, c *s3.Client, bucket string) error {
	_, err := c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: &bucket,
		WebsiteConfiguration: &s3types.WebsiteConfiguration{
			IndexDocument: &s3types.IndexDocument{Suffix: aws.String("index.html")}}})
	return err
}

func restricted(ctx context.Context, c *s3.Client, bucket string) error {
	err := withPolicy(`"Action":"s3:GetObject","Resource":"arn:aws:s3:::%[1]s/*"`)(ctx, c,
		bucket)
	if err != nil {
		return err
	}
	_, err = c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: &bucket,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			RestrictPublicBuckets: aws.Bool(true)}})
	return err
}

// seedCases creates each case's bucket with its settings.
func seedCases(ctx context.Context, c *s3.Client) error {
	for _, ec := range exposureCases() {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{
			Bucket: aws.String(ec.bucket)}); err != nil {
			return fmt.Errorf("create %s: %w", ec.bucket, err)
		}
		if err := ec.setup(ctx, c, ec.bucket); err != nil {
			return fmt.Errorf("set up case %s: %w", ec.id, err)
		}
	}
	return nil
}

// runSweep seeds the exposure cases, sweeps the estate's account (and the
// Azure containers, when az is set) in-process, as `aimsaudit invoke
// posture-sweep` does, and prints the exposure table.
func runSweep(ctx context.Context, out io.Writer, moto *testcloud.Moto, e *estate.Estate,
	az *azureCases) error {
	cfg := sweep.WithRetries(moto.Config())
	c := estate.NewClients(cfg)
	if err := seedCases(ctx, c.S3); err != nil {
		return err
	}
	store, err := register.Open("s3://"+estate.RegisterBucket+"/"+estate.RegisterPrefix, c.S3)
	if err != nil {
		return err
	}
	home := sweep.Target{Account: e.Account, Regions: []string{e.Region}}
	s := &sweep.Sweep{Home: home, Targets: []sweep.Target{home}, Connect: sweep.Connector(cfg),
		Register: store, InProcess: true,
		Evidence: evidence.PerAccount(func(account string) *evidence.Store {
			return evidence.NewStore(c.S3, estate.EvidenceBucket, sweep.FunctionName, account)
		}),
		Alerts: alert.NewNotifier(c.DynamoDB, estate.StateTable, c.Events, estate.AlertBus,
			false),
	}
	if az != nil {
		s.Azure = az.source()
	}
	res, err := s.Run(ctx)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	n := res.Counts
	fmt.Fprintf(out, "\nposture sweep: %d buckets, %d containers, %d assessments in %d batches; "+
		"%.1f calls per bucket; %d alerts\n", n.Buckets, n.Containers, n.Assessments, n.Batches,
		perBucket(n.Calls.PerBucket), res.Alerts)
	if err := sweep.WriteExposureTable(out, res.Findings); err != nil {
		return err
	}
	return expectExposure(res.Findings, az)
}

func perBucket(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// expectExposure checks each case's finding against the status its
// handed verdict gives.
func expectExposure(fs []findings.Finding, az *azureCases) error {
	got := map[string]findings.Status{}
	for _, f := range fs {
		got[f.Resource] = f.Status
	}
	want := map[string]findings.Status{}
	for _, ec := range exposureCases() {
		want["s3://"+ec.bucket] = ec.want
	}
	if az != nil {
		for resource, status := range az.want() {
			want[resource] = status
		}
	}
	var wrong []string
	for resource, status := range want {
		if got[resource] != status {
			wrong = append(wrong, fmt.Sprintf("%s is %q, want %s", resource, got[resource],
				status))
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("unexpected exposure: %s", strings.Join(wrong, "; "))
	}
	return nil
}

// sweepSection runs the posture sweep part of the demo, with the Azure
// containers when Azurite is installed, and stops what it started.
func sweepSection(ctx context.Context, out io.Writer, root string, moto *testcloud.Moto,
	e *estate.Estate) error {
	fmt.Fprintln(out, "\nseeding the handed exposure cases the emulators can hold ...")
	az, err := startAzure(ctx, root)
	switch {
	case errors.Is(err, errNoAzurite):
		fmt.Fprintf(out, "%v: sweeping AWS only\n", err)
		az = nil
	case err != nil:
		return err
	default:
		defer az.Stop()
	}
	return runSweep(ctx, out, moto, e, az)
}
