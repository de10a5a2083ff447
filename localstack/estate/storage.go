package estate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/aimsaudit/aimsaudit/localstack/register"
	"github.com/aimsaudit/aimsaudit/shared/synth"
)

type s3API interface {
	CreateBucket(ctx context.Context, in *s3.CreateBucketInput,
		opts ...func(*s3.Options)) (*s3.CreateBucketOutput, error)
	PutBucketVersioning(ctx context.Context, in *s3.PutBucketVersioningInput,
		opts ...func(*s3.Options)) (*s3.PutBucketVersioningOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput,
		opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// seedStorage creates the buckets, uploads the register and each version's
// evaluation predictions, and turns on versioning of the evidence bucket.
func seedStorage(ctx context.Context, client s3API) error {
	for _, b := range []string{RegisterBucket, EvalBucket, EvidenceBucket} {
		if err := createBucket(ctx, client, b); err != nil {
			return err
		}
	}
	if err := enableVersioning(ctx, client, EvidenceBucket); err != nil {
		return err
	}
	if err := uploadRegister(ctx, client); err != nil {
		return err
	}
	for _, v := range Versions() {
		if err := uploadEvalData(ctx, client, v); err != nil {
			return err
		}
	}
	return nil
}

func createBucket(ctx context.Context, client s3API, name string) error {
	_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
	if isCode(err, "BucketAlreadyOwnedByYou") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", name, err)
	}
	return nil
}

func enableVersioning(ctx context.Context, client s3API, name string) error {
	_, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
		Bucket: aws.String(name),
		VersioningConfiguration: &s3types.VersioningConfiguration{
			Status: s3types.BucketVersioningStatusEnabled,
		},
	})
	if err != nil {
		return fmt.Errorf("enable versioning of %s: %w", name, err)
	}
	return nil
}

// uploadRegister puts every embedded register document under the register
// prefix, keeping its path below the folder.
func uploadRegister(ctx context.Context, client s3API) error {
	return fs.WalkDir(register.Docs, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := register.Docs.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read register document %s: %w", name, err)
		}
		return putObject(ctx, client, RegisterBucket, RegisterPrefix+name, body, "application/json")
	})
}

// uploadEvalData puts a version's evaluation predictions and, where it has
// one, the bias report made from them.
func uploadEvalData(ctx context.Context, client s3API, v Version) error {
	var buf bytes.Buffer
	if err := synth.Write(&buf, v.Data); err != nil {
		return fmt.Errorf("generate evaluation data of version %d: %w", v.Number, err)
	}
	err := putObject(ctx, client, EvalBucket, EvalKey(v.Number), buf.Bytes(), "text/csv")
	if err != nil || v.Claims == NoClaims {
		return err
	}
	report, err := biasReport(buf.Bytes(), v.Claims)
	if err != nil {
		return fmt.Errorf("bias report of version %d: %w", v.Number, err)
	}
	return putObject(ctx, client, EvalBucket, BiasReportKey(v.Number), report, "application/json")
}

func putObject(ctx context.Context, client s3API, bucket, key string, body []byte,
	contentType string) error {
	_, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:      aws.String(bucket),
		Key:         aws.String(key),
		Body:        bytes.NewReader(body),
		ContentType: aws.String(contentType),
	})
	if err != nil {
		return fmt.Errorf("put s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// isCode reports whether err is an API error with the given code.
func isCode(err error, code string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}
