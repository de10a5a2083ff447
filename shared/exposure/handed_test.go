package exposure

import "testing"

// TestHandedCasesInline keeps the handed exposure cases as this package's
// own table, so they run where ../shared is absent.
func TestHandedCasesInline(t *testing.T) {
	allOn := &PublicAccessBlock{true, true, true, true}
	tests := []struct {
		id    string
		build func() S3Bucket
		w     want
	}{
		{"h01 policy s3:* to everyone", func() S3Bucket {
			b := openBucket()
			b.Policy = policyDoc(allowStar(`"s3:*"`, ""))
			return b
		}, want{verdict: Public, read: T, write: T, list: T}},
		{"h02 AllUsers READ under account block", func() S3Bucket {
			b := withPublicGrant(openBucket(), allUsers, "READ")
			b.AccountPublicAccessBlock, b.BucketPublicAccessBlock = allOn, nil
			return b
		}, want{verdict: NotPublic, latent: true}},
		{"h03 read through one VPC endpoint", func() S3Bucket {
			b := openBucket()
			b.Policy = policyDoc(allowStar(`"s3:GetObject"`,
				`{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718"}}`))
			return b
		}, want{verdict: NotPublic, latent: false}},
		{"h04 AuthenticatedUsers READ", func() S3Bucket {
			return withPublicGrant(openBucket(), authUsers, "READ")
		}, want{verdict: Public, read: F, write: F, list: T}},
		{"h05 NotPrincipal allow", func() S3Bucket {
			b := openBucket()
			b.Policy = policyDoc(`{"Effect":"Allow","NotPrincipal":{"AWS":` +
				`"arn:aws:iam::111122223333:role/etl"},"Action":"s3:GetObject","Resource":"*"}`)
			return b
		}, want{verdict: Public, read: T}},
		{"h06 policy AccessDenied", func() S3Bucket {
			b := openBucket()
			b.Errors["policy"] = "AccessDenied"
			return b
		}, want{verdict: Indeterminate}},
		{"h09 website without grants", func() S3Bucket {
			b := openBucket()
			b.Website = true
			return b
		}, want{verdict: NotPublic, latent: false}},
		{"h10 source IP 0.0.0.0/1", func() S3Bucket {
			b := openBucket()
			b.Policy = policyDoc(allowStar(`"s3:GetObject"`,
				`{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}`))
			return b
		}, want{verdict: Public, read: T}},
		{"h11 bucket RestrictPublicBuckets", func() S3Bucket {
			b := openBucket()
			b.Policy = ptr(publicRead)
			b.BucketPublicAccessBlock = &PublicAccessBlock{RestrictPublicBuckets: true}
			return b
		}, want{verdict: NotPublic, latent: true, latentAccess: &Access{Read: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			check(t, EvaluateS3(tt.build()), tt.w)
		})
	}
	t.Run("h07 Blob level under allowBlobPublicAccess false", func(t *testing.T) {
		check(t, EvaluateAzure(container(F, "Blob")), want{verdict: NotPublic, latent: true})
	})
	t.Run("h08 $web under static website", func(t *testing.T) {
		check(t, EvaluateAzure(container(F, "None", web(true))), want{verdict: Public, read: T})
	})
}
