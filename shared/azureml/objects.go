package azureml

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ObjectReader opens the documents model versions point at: evaluation
// data and model cards, by an s3:// URI or an https:// blob URL.
type ObjectReader interface {
	Open(ctx context.Context, uri string) (io.ReadCloser, error)
}

// S3Getter is the part of S3 an s3:// document needs.
type S3Getter interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput,
		opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Objects reads s3:// URIs with S3 and https:// URLs as Azure blobs with
// Blob. Errors keep their service's type, so kindOf sorts them.
type Objects struct {
	S3   S3Getter
	Blob func(ctx context.Context, url string) (io.ReadCloser, error)
}

// ErrUnsupportedURI marks a document reference that is neither form.
var ErrUnsupportedURI = errors.New("want an s3:// URI or an https:// blob URL")

// Open reads the document at uri.
func (o Objects) Open(ctx context.Context, uri string) (io.ReadCloser, error) {
	switch {
	case strings.HasPrefix(uri, "s3://"):
		bucket, key, _ := strings.Cut(strings.TrimPrefix(uri, "s3://"), "/")
		if bucket == "" || key == "" || o.S3 == nil {
			return nil, fmt.Errorf("%s: %w", uri, ErrUnsupportedURI)
		}
		out, err := o.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket),
			Key: aws.String(key)})
		if err != nil {
			return nil, fmt.Errorf("get %s: %w", uri, err)
		}
		return out.Body, nil
	case strings.HasPrefix(uri, "https://") && o.Blob != nil:
		return o.Blob(ctx, uri)
	}
	return nil, fmt.Errorf("%s: %w", uri, ErrUnsupportedURI)
}

// BlobReader downloads blobs by URL with an Azure credential (the
// identity needs Storage Blob Data Reader), through transport (nil for the
// default) and the SDK's retry policy.
func BlobReader(cred azcore.TokenCredential, transport policy.Transporter) func(
	context.Context, string) (io.ReadCloser, error) {
	opts := &blob.ClientOptions{ClientOptions: policy.ClientOptions{Retry: Retry,
		Transport: transport}}
	return func(ctx context.Context, url string) (io.ReadCloser, error) {
		c, err := blob.NewClient(url, cred, opts)
		if err != nil {
			return nil, fmt.Errorf("blob client for %s: %w", url, err)
		}
		resp, err := c.DownloadStream(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("download %s: %w", url, err)
		}
		return resp.Body, nil
	}
}
