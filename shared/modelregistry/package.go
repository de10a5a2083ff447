// Package modelregistry reads and updates SageMaker model packages: the
// versions a registry holds, their approval status and the aims: metadata
// that links each one to its impact assessment, evaluation data and card.
package modelregistry

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// Metadata keys the register's conventions define on a package.
const (
	KeyImpactAssessment = "aims:impact-assessment"
	KeyEvaluationData   = "aims:evaluation-data"
	KeyModelCard        = "aims:model-card"
)

// Approval statuses as the API spells them.
const (
	Approved              = "Approved"
	Rejected              = "Rejected"
	PendingManualApproval = "PendingManualApproval"
)

// maxDescription is the API's limit on ApprovalDescription.
const maxDescription = 1024

// Describer is the part of the SageMaker client that reading a package
// needs; audits that change nothing ask for no more.
type Describer interface {
	DescribeModelPackage(ctx context.Context, in *sagemaker.DescribeModelPackageInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelPackageOutput, error)
}

// API is the part of the SageMaker client the registry code calls.
type API interface {
	Describer
	UpdateModelPackage(ctx context.Context, in *sagemaker.UpdateModelPackageInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.UpdateModelPackageOutput, error)
}

// Package is a model package as the API describes it, reduced to what the
// audits judge. Raw keeps the whole answer for the evidence.
type Package struct {
	ARN           string
	Group         string
	Version       int
	Status        string
	Description   string
	Metadata      map[string]string
	BiasReportURI string
	Raw           *sagemaker.DescribeModelPackageOutput
}

// Describe reads one model package by ARN.
func Describe(ctx context.Context, api Describer, arn string) (*Package, error) {
	out, err := api.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{
		ModelPackageName: aws.String(arn),
	})
	if err != nil {
		return nil, fmt.Errorf("describe model package %s: %w", arn, err)
	}
	p := &Package{
		ARN:         aws.ToString(out.ModelPackageArn),
		Group:       aws.ToString(out.ModelPackageGroupName),
		Version:     int(aws.ToInt32(out.ModelPackageVersion)),
		Status:      string(out.ModelApprovalStatus),
		Description: aws.ToString(out.ApprovalDescription),
		Metadata:    out.CustomerMetadataProperties,
		Raw:         out,
	}
	if p.ARN == "" {
		p.ARN = arn
	}
	if p.Group == "" || p.Version == 0 {
		p.Group, p.Version = parseARN(p.ARN)
	}
	if m := out.ModelMetrics; m != nil && m.Bias != nil && m.Bias.PostTrainingReport != nil {
		p.BiasReportURI = aws.ToString(m.Bias.PostTrainingReport.S3Uri)
	}
	return p, nil
}

// parseARN takes group and version from
// arn:aws:sagemaker:REGION:ACCOUNT:model-package/GROUP/VERSION.
func parseARN(arn string) (string, int) {
	_, res, ok := strings.Cut(arn, ":model-package/")
	if !ok {
		return "", 0
	}
	group, ver, ok := strings.Cut(res, "/")
	if !ok {
		return "", 0
	}
	v, _ := strconv.Atoi(ver)
	return group, v
}

// SetApproval changes a package's approval status. It always sends the
// description and the metadata with the status: AWS merges an update, but
// emulators replace what a request omits, and sending all three is correct
// for both.
func SetApproval(ctx context.Context, api API, p *Package, status, description string) error {
	_, err := api.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{
		ModelPackageArn:            aws.String(p.ARN),
		ModelApprovalStatus:        types.ModelApprovalStatus(status),
		ApprovalDescription:        aws.String(description),
		CustomerMetadataProperties: p.Metadata,
	})
	if err != nil {
		return fmt.Errorf("set model package %s to %s: %w", p.ARN, status, err)
	}
	return nil
}

// RejectionDescription lists the failing checks in an ApprovalDescription,
// cut to the API's 1,024 characters with a count of the checks left out.
func RejectionDescription(checks []string) string {
	const head = "Rejected by aimsaudit: "
	out := head
	for i, c := range checks {
		sep := ""
		if i > 0 {
			sep = "; "
		}
		rest := len(checks) - i
		tail := fmt.Sprintf("; and %d more", rest-1)
		if rest == 1 {
			tail = ""
		}
		if len(out)+len(sep)+len(c)+len(tail) > maxDescription {
			return out + fmt.Sprintf("; and %d more", rest)
		}
		out += sep + c
	}
	return out
}
