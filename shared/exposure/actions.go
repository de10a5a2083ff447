package exposure

import (
	"sort"
	"strings"
)

// s3Actions lists the S3 actions a policy can name, so that wildcards such
// as "s3:*Object" or "s3:Get*" expand to what they actually grant.
var s3Actions = []string{
	"AbortMultipartUpload", "BypassGovernanceRetention", "CreateAccessPoint",
	"CreateBucket", "DeleteAccessPoint", "DeleteAccessPointPolicy", "DeleteBucket",
	"DeleteBucketOwnershipControls", "DeleteBucketPolicy", "DeleteBucketWebsite",
	"DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion",
	"DeleteObjectVersionTagging", "GetAccelerateConfiguration", "GetAccessPoint",
	"GetAccessPointPolicy", "GetAccessPointPolicyStatus", "GetAccountPublicAccessBlock",
	"GetAnalyticsConfiguration", "GetBucketAcl", "GetBucketCORS", "GetBucketLocation",
	"GetBucketLogging", "GetBucketNotification", "GetBucketObjectLockConfiguration",
	"GetBucketOwnershipControls", "GetBucketPolicy", "GetBucketPolicyStatus",
	"GetBucketPublicAccessBlock", "GetBucketRequestPayment", "GetBucketTagging",
	"GetBucketVersioning", "GetBucketWebsite", "GetEncryptionConfiguration",
	"GetIntelligentTieringConfiguration", "GetInventoryConfiguration",
	"GetLifecycleConfiguration", "GetMetricsConfiguration", "GetObject", "GetObjectAcl",
	"GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention", "GetObjectTagging",
	"GetObjectTorrent", "GetObjectVersion", "GetObjectVersionAcl",
	"GetObjectVersionAttributes", "GetObjectVersionForReplication",
	"GetObjectVersionTagging", "GetObjectVersionTorrent", "GetReplicationConfiguration",
	"ListAccessPoints", "ListAllMyBuckets", "ListBucket", "ListBucketMultipartUploads",
	"ListBucketVersions", "ListMultipartUploadParts", "ObjectOwnerOverrideToBucketOwner",
	"PutAccelerateConfiguration", "PutAccessPointPolicy", "PutAccountPublicAccessBlock",
	"PutAnalyticsConfiguration", "PutBucketAcl", "PutBucketCORS", "PutBucketLogging",
	"PutBucketNotification", "PutBucketObjectLockConfiguration",
	"PutBucketOwnershipControls", "PutBucketPolicy", "PutBucketPublicAccessBlock",
	"PutBucketRequestPayment", "PutBucketTagging", "PutBucketVersioning",
	"PutBucketWebsite", "PutEncryptionConfiguration", "PutIntelligentTieringConfiguration",
	"PutInventoryConfiguration", "PutLifecycleConfiguration", "PutMetricsConfiguration",
	"PutObject", "PutObjectAcl", "PutObjectLegalHold", "PutObjectRetention",
	"PutObjectTagging", "PutObjectVersionAcl", "PutObjectVersionTagging",
	"PutReplicationConfiguration", "ReplicateDelete", "ReplicateObject", "ReplicateTags",
	"RestoreObject",
}

// lowerActions holds s3Actions lower-cased, with and without the prefix, as
// patterns are matched against them.
var lowerActions = func() [][2]string {
	out := make([][2]string, len(s3Actions))
	for i, a := range s3Actions {
		la := strings.ToLower(a)
		out[i] = [2]string{la, "s3:" + la}
	}
	return out
}()

// actionSet holds lower-cased S3 action names without the "s3:" prefix.
type actionSet map[string]struct{}

// expand returns the S3 actions that an Action list matches. A pattern with
// no wildcard that names an action this list does not know still counts, so
// a newer action never silently drops out of a grant.
func expand(patterns []string) actionSet {
	out := actionSet{}
	for _, p := range patterns {
		lp := strings.ToLower(p)
		for _, a := range lowerActions {
			if globMatch(lp, a[1]) {
				out[a[0]] = struct{}{}
			}
		}
		name, ok := strings.CutPrefix(lp, "s3:")
		if ok && name != "" && !strings.ContainsAny(name, "*?") {
			out[name] = struct{}{}
		}
	}
	return out
}

// expandNot returns every known S3 action that a NotAction list leaves in.
func expandNot(patterns []string) actionSet {
	excluded := expand(patterns)
	out := actionSet{}
	for _, a := range lowerActions {
		if _, ok := excluded[a[0]]; !ok {
			out[a[0]] = struct{}{}
		}
	}
	return out
}

// statementActions is the set of actions a statement covers.
func statementActions(s Statement) actionSet {
	if s.NotAction != nil {
		return expandNot(s.NotAction)
	}
	return expand(s.Action)
}

// covers reports whether a statement's Action (or NotAction) names the
// action, matching the patterns themselves so that an action outside the
// catalogue is covered by "s3:*" too.
func covers(s Statement, name string) bool {
	full := "s3:" + name
	matchAny := func(patterns []string) bool {
		for _, p := range patterns {
			if globMatch(strings.ToLower(p), full) {
				return true
			}
		}
		return false
	}
	if s.NotAction != nil {
		return !matchAny(s.NotAction)
	}
	return matchAny(s.Action)
}

func (a actionSet) union(b actionSet) {
	for k := range b {
		a[k] = struct{}{}
	}
}

// removeCovered deletes the actions a statement covers and returns them.
func (a actionSet) removeCovered(s Statement) actionSet {
	removed := actionSet{}
	for k := range a {
		if covers(s, k) {
			delete(a, k)
			removed[k] = struct{}{}
		}
	}
	return removed
}

func (a actionSet) intersect(b actionSet) actionSet {
	out := actionSet{}
	for k := range a {
		if _, ok := b[k]; ok {
			out[k] = struct{}{}
		}
	}
	return out
}

// access is what a grant lets everyone do. any is set by every grant, also
// one that gives none of the three (s3:GetBucketAcl, READ_ACP), since any
// grant to everyone makes the resource public.
type access struct {
	read, write, list, any bool
}

func (a *access) add(b access) {
	a.read = a.read || b.read
	a.write = a.write || b.write
	a.list = a.list || b.list
	a.any = a.any || b.any
}

// accessOf sorts actions into read, write and list as CONTRACTS.md defines
// them.
func accessOf(set actionSet) access {
	var a access
	for name := range set {
		a.any = true
		switch {
		case strings.HasPrefix(name, "getobject"):
			a.read = true
		case strings.HasPrefix(name, "listbucket"), name == "listmultipartuploadparts":
			a.list = true
		case strings.HasPrefix(name, "put"), strings.HasPrefix(name, "delete"),
			name == "abortmultipartupload", name == "restoreobject":
			a.write = true
		}
	}
	return a
}

// describe names the flags an access sets, for reasons.
func (a access) describe() string {
	var parts []string
	if a.read {
		parts = append(parts, "read")
	}
	if a.write {
		parts = append(parts, "write")
	}
	if a.list {
		parts = append(parts, "list")
	}
	if len(parts) == 0 {
		return "access other than read, write or list"
	}
	return strings.Join(parts, ", ")
}

func (a actionSet) sorted() []string {
	out := make([]string, 0, len(a))
	for k := range a {
		out = append(out, "s3:"+k)
	}
	sort.Strings(out)
	return out
}

// globMatch matches s against a pattern where * is any run of characters
// and ? any one character, as IAM does for actions and ARNs.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}
