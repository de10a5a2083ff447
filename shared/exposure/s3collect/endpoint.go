package s3collect

import (
	"context"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/service/s3control"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
)

// fixedEndpoint resolves every S3 Control request to one URL. S3 Control
// otherwise puts the account id in front of the host, even with a base
// endpoint, which an emulator on 127.0.0.1 cannot answer.
type fixedEndpoint struct{ u url.URL }

func (f fixedEndpoint) ResolveEndpoint(context.Context, s3control.EndpointParameters) (
	smithyendpoints.Endpoint, error) {
	return smithyendpoints.Endpoint{URI: f.u}, nil
}

// WithControlEndpoint aims an S3 Control client at rawURL as is, for
// emulators such as moto (AWS_ENDPOINT_URL).
func WithControlEndpoint(rawURL string) (func(*s3control.Options), error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	return func(o *s3control.Options) { o.EndpointResolverV2 = fixedEndpoint{*u} }, nil
}
