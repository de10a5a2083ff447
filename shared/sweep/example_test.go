package sweep_test

import (
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/sweep"
)

func ExampleWriteExposureTable() {
	at := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	open := exposure.S3Bucket{Kind: exposure.KindS3Bucket, Account: "111122223333",
		Bucket: "credit-risk-eval", AccessPoints: []exposure.AccessPoint{},
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::credit-risk-eval/*"}]}`),
		Ownership: aws.String("BucketOwnerEnforced"), Errors: map[string]string{}}
	closed := open
	closed.Bucket = "credit-risk-models"
	closed.Policy = nil
	fs := []findings.Finding{
		exposure.NewFinding(exposure.EvaluateS3(open), "credit-risk", at),
		exposure.NewFinding(exposure.EvaluateS3(closed), "", at),
	}
	_ = sweep.WriteExposureTable(os.Stdout, fs)
	// Output:
	// RESOURCE                 STATUS  VERDICT     READ  WRITE  LIST  LATENT  REASONS
	// s3://credit-risk-eval    fail    public      yes   -      -     -       policy statement 1 allows s3:GetObject to * with no restric… (+1 more)
	// s3://credit-risk-models  pass    not_public  -     -      -     -       no bucket ACL grant, bucket policy statement or access poin…
}
