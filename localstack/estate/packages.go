package estate

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

type sagemakerAPI interface {
	DescribeModelPackageGroup(ctx context.Context, in *sagemaker.DescribeModelPackageGroupInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelPackageGroupOutput, error)
	CreateModelPackageGroup(ctx context.Context, in *sagemaker.CreateModelPackageGroupInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.CreateModelPackageGroupOutput, error)
	ListModelPackages(ctx context.Context, in *sagemaker.ListModelPackagesInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.ListModelPackagesOutput, error)
	DescribeModelPackage(ctx context.Context, in *sagemaker.DescribeModelPackageInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelPackageOutput, error)
	CreateModelPackage(ctx context.Context, in *sagemaker.CreateModelPackageInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.CreateModelPackageOutput, error)
	UpdateModelPackage(ctx context.Context, in *sagemaker.UpdateModelPackageInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.UpdateModelPackageOutput, error)
}

// approvalNote is the approval description every seeded version carries.
const approvalNote = "Approved by the model owner after offline evaluation"

// seedPackages makes sure the group exists and each version of Versions is
// present and Approved with its metadata, creating the missing ones in order
// so SageMaker numbers them as listed.
func seedPackages(ctx context.Context, client sagemakerAPI, account, region string) ([]Package,
	error) {
	if err := ensureGroup(ctx, client); err != nil {
		return nil, err
	}
	existing, err := listVersions(ctx, client)
	if err != nil {
		return nil, err
	}
	var out []Package
	for _, v := range Versions() {
		arn, ok := existing[v.Number]
		if ok {
			err = approveAgain(ctx, client, arn, v)
		} else {
			arn, err = createVersion(ctx, client, v, inference(account, region, v.Number))
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Package{Version: v.Number, ARN: arn})
	}
	return out, nil
}

func ensureGroup(ctx context.Context, client sagemakerAPI) error {
	_, err := client.DescribeModelPackageGroup(ctx, &sagemaker.DescribeModelPackageGroupInput{
		ModelPackageGroupName: aws.String(Group),
	})
	if err == nil {
		return nil
	}
	_, err = client.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{
		ModelPackageGroupName:        aws.String(Group),
		ModelPackageGroupDescription: aws.String("Retail credit scoring models"),
	})
	if err != nil {
		return fmt.Errorf("create model package group %s: %w", Group, err)
	}
	return nil
}

// listVersions maps each existing version number of the group to its ARN.
func listVersions(ctx context.Context, client sagemakerAPI) (map[int]string, error) {
	out := map[int]string{}
	p := sagemaker.NewListModelPackagesPaginator(client, &sagemaker.ListModelPackagesInput{
		ModelPackageGroupName: aws.String(Group),
		ModelPackageType:      smtypes.ModelPackageTypeVersioned,
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list model packages of %s: %w", Group, err)
		}
		for _, s := range page.ModelPackageSummaryList {
			out[int(aws.ToInt32(s.ModelPackageVersion))] = aws.ToString(s.ModelPackageArn)
		}
	}
	return out, nil
}

// metadata is what a version's CustomerMetadataProperties should hold.
func metadata(v Version) map[string]string {
	m := map[string]string{KeyEvalData: "s3://" + EvalBucket + "/" + EvalKey(v.Number)}
	if v.Assessment != "" {
		m[KeyAssessment] = v.Assessment
	}
	return m
}

func createVersion(ctx context.Context, client sagemakerAPI, v Version,
	spec *smtypes.InferenceSpecification) (string, error) {
	out, err := client.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{
		ModelPackageGroupName:      aws.String(Group),
		ModelPackageDescription:    aws.String(v.Why),
		ModelApprovalStatus:        smtypes.ModelApprovalStatusApproved,
		CustomerMetadataProperties: metadata(v),
		InferenceSpecification:     spec,
		ModelMetrics:               modelMetrics(v),
	})
	if err != nil {
		return "", fmt.Errorf("create version %d of %s: %w", v.Number, Group, err)
	}
	arn := aws.ToString(out.ModelPackageArn)
	if !strings.HasSuffix(arn, fmt.Sprintf("/%s/%d", Group, v.Number)) {
		return "", fmt.Errorf("create version %d of %s: got %s, another version number", v.Number,
			Group, arn)
	}
	return arn, nil
}

// approveAgain puts an existing version back to Approved with its seeded
// metadata. It sends status, description and metadata together, and names
// the keys to drop, so the result is the same whether the service merges
// metadata (AWS) or replaces it (moto).
func approveAgain(ctx context.Context, client sagemakerAPI, arn string, v Version) error {
	cur, err := client.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{
		ModelPackageName: aws.String(arn),
	})
	if err != nil {
		return fmt.Errorf("describe %s: %w", arn, err)
	}
	want := metadata(v)
	var drop []string
	for k := range cur.CustomerMetadataProperties {
		if _, keep := want[k]; !keep {
			drop = append(drop, k)
		}
	}
	_, err = client.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{
		ModelPackageArn:                    aws.String(arn),
		ModelApprovalStatus:                smtypes.ModelApprovalStatusApproved,
		ApprovalDescription:                aws.String(approvalNote),
		CustomerMetadataProperties:         want,
		CustomerMetadataPropertiesToRemove: drop,
	})
	if err != nil {
		return fmt.Errorf("approve %s again: %w", arn, err)
	}
	return nil
}

// inference is a plausible serving specification: the image in the
// account's registry and the version's model artefact.
func inference(account, region string, version int) *smtypes.InferenceSpecification {
	image := fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s:latest", account, region, Group)
	data := fmt.Sprintf("s3://aims-models/%s/%d/model.tar.gz", Group, version)
	return &smtypes.InferenceSpecification{
		Containers: []smtypes.ModelPackageContainerDefinition{{
			Image:        aws.String(image),
			ModelDataUrl: aws.String(data),
		}},
		SupportedContentTypes:      []string{"text/csv"},
		SupportedResponseMIMETypes: []string{"text/csv"},
	}
}

// modelMetrics points at the version's bias report, if it has one.
func modelMetrics(v Version) *smtypes.ModelMetrics {
	if v.Claims == NoClaims {
		return nil
	}
	return &smtypes.ModelMetrics{Bias: &smtypes.Bias{
		PostTrainingReport: &smtypes.MetricsSource{
			ContentType: aws.String("application/json"),
			S3Uri:       aws.String("s3://" + EvalBucket + "/" + BiasReportKey(v.Number)),
		},
	}}
}
