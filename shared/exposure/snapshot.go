package exposure

// Kinds of snapshot, as the "kind" field spells them.
const (
	KindS3Bucket       = "s3-bucket"
	KindAzureContainer = "azure-blob-container"
)

// PublicAccessBlock is one scope's Block Public Access configuration, as
// GetPublicAccessBlock returns it.
type PublicAccessBlock struct {
	BlockPublicAcls       bool `json:"BlockPublicAcls"`
	IgnorePublicAcls      bool `json:"IgnorePublicAcls"`
	BlockPublicPolicy     bool `json:"BlockPublicPolicy"`
	RestrictPublicBuckets bool `json:"RestrictPublicBuckets"`
}

// Grantee is the receiver of one ACL grant.
type Grantee struct {
	Type         string `json:"Type"`
	ID           string `json:"ID,omitempty"`
	URI          string `json:"URI,omitempty"`
	DisplayName  string `json:"DisplayName,omitempty"`
	EmailAddress string `json:"EmailAddress,omitempty"`
}

// Grant is one entry of a bucket ACL.
type Grant struct {
	Grantee    Grantee `json:"Grantee"`
	Permission string  `json:"Permission"`
}

// Owner is the owner of a bucket ACL.
type Owner struct {
	ID          string `json:"ID"`
	DisplayName string `json:"DisplayName,omitempty"`
}

// ACL is a bucket's access control list, as GetBucketAcl returns it.
type ACL struct {
	Owner  *Owner  `json:"Owner,omitempty"`
	Grants []Grant `json:"Grants"`
}

// AccessPoint is one access point attached to the bucket, with the settings
// that decide whether anonymous requests through it succeed.
type AccessPoint struct {
	Name              string             `json:"Name"`
	NetworkOrigin     string             `json:"NetworkOrigin"`
	PublicAccessBlock *PublicAccessBlock `json:"publicAccessBlock"`
	Policy            *string            `json:"policy"`
}

// S3Bucket is what a sweep collected about one bucket. A nil pointer means
// the API answered "not configured"; an entry in Errors means the call that
// should have filled a field failed, and that field is then unknown.
type S3Bucket struct {
	Kind                     string             `json:"kind"`
	Account                  string             `json:"account"`
	Bucket                   string             `json:"bucket"`
	AccountPublicAccessBlock *PublicAccessBlock `json:"accountPublicAccessBlock"`
	BucketPublicAccessBlock  *PublicAccessBlock `json:"bucketPublicAccessBlock"`
	Policy                   *string            `json:"policy"`
	// PolicyStatus is S3's own GetBucketPolicyStatus answer, kept to be
	// compared with, never trusted over the policy itself.
	PolicyStatus *bool         `json:"policyStatus"`
	ACL          *ACL          `json:"acl"`
	Ownership    *string       `json:"ownership"`
	Website      bool          `json:"website"`
	AccessPoints []AccessPoint `json:"accessPoints"`
	// Errors maps a snapshot path (see CONTRACTS.md) to the error code of
	// the call that should have filled it.
	Errors map[string]string `json:"errors"`
}

// StorageAccount holds the account settings that bear on anonymous access,
// as ARM reports them, plus the blob service's static website switch.
type StorageAccount struct {
	Name                  string  `json:"name"`
	AllowBlobPublicAccess *bool   `json:"allowBlobPublicAccess"`
	PublicNetworkAccess   *string `json:"publicNetworkAccess"`
	NetworkDefaultAction  *string `json:"networkDefaultAction"`
	StaticWebsite         bool    `json:"staticWebsite"`
}

// Container is one blob container and its public access level: None, Blob
// or Container.
type Container struct {
	Name         string `json:"name"`
	PublicAccess string `json:"publicAccess"`
}

// AzureContainer is what a sweep collected about one blob container.
type AzureContainer struct {
	Kind           string            `json:"kind"`
	StorageAccount StorageAccount    `json:"storageAccount"`
	Container      Container         `json:"container"`
	Errors         map[string]string `json:"errors"`
}

// Snapshot is one decoded snapshot file: exactly one of the two is set.
type Snapshot struct {
	S3    *S3Bucket
	Azure *AzureContainer
}

// Evaluate judges whichever resource the snapshot holds.
func Evaluate(s Snapshot) Verdict {
	if s.Azure != nil {
		return EvaluateAzure(*s.Azure)
	}
	if s.S3 != nil {
		return EvaluateS3(*s.S3)
	}
	return Verdict{Verdict: Indeterminate, Reasons: []string{"empty snapshot"}}
}
