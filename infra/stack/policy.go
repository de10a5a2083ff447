package stack

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// allow is an Allow statement with a Sid, so that a reviewer reading the
// template sees what each grant is for.
func allow(sid string, actions []string, resources ...string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String(sid),
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings(actions...),
		Resources: jsii.Strings(resources...),
	})
}

// allowWhen is allow with a condition block.
func allowWhen(sid string, actions []string, conditions map[string]any,
	resources ...string) awsiam.PolicyStatement {
	s := allow(sid, actions, resources...)
	s.AddConditions(&conditions)
	return s
}

// sageMakerARNs returns ARNs of resource type kind ("model-package",
// "endpoint", ...) in the stack's account and region, one per name, each
// followed by suffix; every resource of the type when no name is given.
// SageMaker writes names in lower case inside ARNs, and IAM compares ARNs
// with case, so the names are lowered.
func sageMakerARNs(stack awscdk.Stack, kind string, names []string, suffix string) []string {
	parts := []string{"*"}
	if len(names) > 0 {
		parts = parts[:0]
		for _, n := range names {
			parts = append(parts, strings.ToLower(n)+suffix)
		}
	}
	arns := make([]string, 0, len(parts))
	for _, part := range parts {
		arns = append(arns, *stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("sagemaker"),
			Resource:     jsii.String(kind),
			ResourceName: jsii.String(part),
			ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		}))
	}
	return arns
}

// s3BucketARN is the ARN of a bucket the stack does not own. S3 ARNs carry
// neither region nor account.
func s3BucketARN(stack awscdk.Stack, bucket string) string {
	return *stack.FormatArn(&awscdk.ArnComponents{
		Service:  jsii.String("s3"),
		Region:   jsii.String(""),
		Account:  jsii.String(""),
		Resource: jsii.String(bucket),
	})
}

// s3ObjectsARN is the ARN of the objects under prefix ("" for all) of a bucket
// the stack does not own.
func s3ObjectsARN(stack awscdk.Stack, bucket, prefix string) string {
	return s3BucketARN(stack, bucket) + "/" + prefix + "*"
}
