package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// verifyCloud starts an emulator of its own (so this file needs no
// TestMain), points the SDK's environment at it and writes a chain of two
// runs to a bucket.
func verifyCloud(t *testing.T) (*s3.Client, string) {
	t.Helper()
	moto, err := testcloud.Start(testcloud.AccountID)
	if err != nil {
		t.Fatalf("local cloud: %v", err)
	}
	t.Cleanup(moto.Stop)
	empty := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": moto.URL, "AWS_REGION": testcloud.Region,
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": empty,
		"AWS_SHARED_CREDENTIALS_FILE": empty, "AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
	client := s3.NewFromConfig(moto.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	const bucket = "aims-evidence"
	if _, err := client.CreateBucket(t.Context(),
		&s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	store := evidence.NewStore(client, bucket, "promotion-gate", testcloud.AccountID)
	for _, id := range []string{"r1", "r2"} {
		run := store.NewRun(id)
		v := map[string]string{"run": id}
		if _, err := run.PutJSON(t.Context(), "model-package.json", v); err != nil {
			t.Fatal(err)
		}
		if _, err := run.Commit(t.Context(), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return client, bucket
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVerifyExitStatus(t *testing.T) {
	client, bucket := verifyCloud(t)

	code, out, errOut := runCLI(t, "verify", "--bucket", bucket)
	if code != 0 {
		t.Fatalf("intact: got exit %d (stderr %q), want 0", code, errOut)
	}
	if !strings.Contains(out, "1 chains, 2 objects re-hashed: intact") {
		t.Errorf("intact: got output %q, want the intact summary", out)
	}

	altered := "runs/promotion-gate/r1/model-package.json"
	if _, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket),
		Key: aws.String(altered), Body: strings.NewReader(`{"run":"forged"}`)}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "verify", "--bucket", bucket, "--function", "promotion-gate",
		"--account", testcloud.AccountID)
	if code != 3 {
		t.Fatalf("altered: got exit %d (stderr %q), want 3", code, errOut)
	}
	if !strings.Contains(out, "altered "+altered) || !strings.Contains(errOut, "not intact") {
		t.Errorf("altered: got stdout %q stderr %q, want the altered object named", out, errOut)
	}
}

func TestVerifyFlagsAndFailures(t *testing.T) {
	verifyCloud(t)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no bucket", []string{"verify"}, 2},
		{"bad format", []string{"verify", "--bucket", "aims-evidence", "--format", "xml"}, 2},
		{"absent bucket", []string{"verify", "--bucket", "no-such-bucket"}, 1},
		{"json", []string{"verify", "--bucket", "aims-evidence", "--format", "json"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, tt.args...); code != tt.code {
				t.Errorf("got exit %d (stderr %q), want %d", code, errOut, tt.code)
			}
		})
	}
}
