package register

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3API is the part of the S3 client a register in a bucket needs.
type S3API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input,
		opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput,
		opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Open returns the store behind AIMS_REGISTER_URI: an s3:// prefix, read
// with client, or a local folder for runs on a workstation.
func Open(uri string, client S3API) (Store, error) {
	rest, isS3 := strings.CutPrefix(uri, "s3://")
	if !isS3 {
		return openFolder(uri)
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return nil, fmt.Errorf("register URI %q names no bucket", uri)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if client == nil {
		return nil, fmt.Errorf("register %s needs an S3 client", uri)
	}
	return s3Store{client: client, bucket: bucket, prefix: prefix}, nil
}

// openFolder opens a register kept in a local folder. A folder that does not
// exist is a configuration error, not an empty register: read as empty, it
// would fail every package's system lookup instead of saying what is wrong.
func openFolder(root string) (Store, error) {
	if root == "" {
		return nil, fmt.Errorf("register location is empty (set AIMS_REGISTER_URI)")
	}
	if scheme, _, ok := strings.Cut(root, "://"); ok {
		return nil, fmt.Errorf("register %q: want s3:// or a folder, not %s://", root, scheme)
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("register folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("register %s is not a folder", root)
	}
	return folderStore{root: root}, nil
}

type folderStore struct{ root string }

func (f folderStore) List(_ context.Context, dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(f.root, dir))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, dir+"/"+e.Name())
		}
	}
	return names, nil
}

func (f folderStore) Read(_ context.Context, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(f.root, filepath.FromSlash(name)))
}

func (f folderStore) Location(name string) string {
	return filepath.Join(f.root, filepath.FromSlash(name))
}

type s3Store struct {
	client S3API
	bucket string
	prefix string
}

func (s s3Store) List(ctx context.Context, dir string) ([]string, error) {
	var names []string
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(s.bucket),
		Prefix: aws.String(s.prefix + dir + "/"),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, obj := range page.Contents {
			names = append(names, strings.TrimPrefix(aws.ToString(obj.Key), s.prefix))
		}
	}
	return names, nil
}

func (s s3Store) Read(ctx context.Context, name string) ([]byte, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.prefix + name),
	})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(out.Body, maxDocument+1))
	if err == nil && len(raw) > maxDocument {
		err = fmt.Errorf("larger than %d bytes", maxDocument)
	}
	return raw, err
}

func (s s3Store) Location(name string) string {
	return "s3://" + s.bucket + "/" + s.prefix + name
}

// maxDocument caps one register document; a larger one is surely not a
// hand-kept JSON file, and reading it whole would be a memory hazard.
const maxDocument = 4 << 20
