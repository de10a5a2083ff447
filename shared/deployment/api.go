package deployment

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// API is the part of the SageMaker client the check calls. It only reads:
// the deployment check changes nothing it audits.
type API interface {
	DescribeEndpoint(ctx context.Context, in *sagemaker.DescribeEndpointInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeEndpointOutput, error)
	DescribeEndpointConfig(ctx context.Context, in *sagemaker.DescribeEndpointConfigInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeEndpointConfigOutput, error)
	DescribeModel(ctx context.Context, in *sagemaker.DescribeModelInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelOutput, error)
	DescribeModelPackage(ctx context.Context, in *sagemaker.DescribeModelPackageInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelPackageOutput, error)
	DescribeModelCard(ctx context.Context, in *sagemaker.DescribeModelCardInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelCardOutput, error)
	ListModelCards(ctx context.Context, in *sagemaker.ListModelCardsInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.ListModelCardsOutput, error)
	ListMonitoringSchedules(ctx context.Context, in *sagemaker.ListMonitoringSchedulesInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.ListMonitoringSchedulesOutput, error)
	DescribeMonitoringSchedule(ctx context.Context, in *sagemaker.DescribeMonitoringScheduleInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeMonitoringScheduleOutput, error)
}
