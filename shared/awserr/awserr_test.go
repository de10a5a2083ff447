package awserr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/smithy-go"
)

func TestClassify(t *testing.T) {
	api := func(code, msg string) error {
		return fmt.Errorf("describe: %w", &smithy.GenericAPIError{Code: code, Message: msg})
	}
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"missing key", api("NoSuchKey", "gone"), NotFound},
		{"no policy", api("NoSuchBucketPolicy", ""), NotFound},
		{"denied", api("AccessDenied", "no"), AccessDenied},
		{"sagemaker missing", api("ValidationException", "ModelPackage arn:x does not exist."), NotFound},
		{"sagemaker invalid", api("ValidationException", "1 validation error detected"), Other},
		{"throttled", api("ThrottlingException", "slow down"), Throttled},
		{"plain", errors.New("connection refused"), Other},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}
