package s3collect

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
)

// NewFromConfig builds the S3 and S3 Control clients from cfg. With a base
// endpoint (AWS_ENDPOINT_URL, an emulator) S3 uses path-style addressing
// and S3 Control is sent to that endpoint as is, without the account id
// in front of the host.
func NewFromConfig(cfg aws.Config, account string) (*Collector, error) {
	var s3opts []func(*s3.Options)
	var ctlopts []func(*s3control.Options)
	if cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "" {
		s3opts = append(s3opts, func(o *s3.Options) { o.UsePathStyle = true })
		fixed, err := WithControlEndpoint(*cfg.BaseEndpoint)
		if err != nil {
			return nil, err
		}
		ctlopts = append(ctlopts, fixed)
	}
	return New(s3.NewFromConfig(cfg, s3opts...), s3control.NewFromConfig(cfg, ctlopts...),
		account), nil
}
