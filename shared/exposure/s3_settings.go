package exposure

import (
	"fmt"
	"sort"
	"strings"
)

// scope is one place Block Public Access can be set: the account, the
// bucket, or an access point. err is the code of the call that failed to
// read it, "" when it was read.
type scope struct {
	name string
	pab  *PublicAccessBlock
	err  string
}

// bpa ORs one Block Public Access flag over the scopes: it is on when any
// scope has it on, off when every scope is known to have it off.
func bpa(flag string, get func(PublicAccessBlock) bool, scopes ...scope) mask {
	var m mask
	for _, s := range scopes {
		switch {
		case s.err != "":
			m.unsure = append(m.unsure, fmt.Sprintf("%s (%s: %s)", flag, s.name, s.err))
		case s.pab != nil && get(*s.pab):
			m.by = append(m.by, fmt.Sprintf("%s (%s)", flag, s.name))
		}
	}
	return or(m)
}

func ignoreAcls(p PublicAccessBlock) bool  { return p.IgnorePublicAcls }
func restrictPub(p PublicAccessBlock) bool { return p.RestrictPublicBuckets }
func blockAcls(p PublicAccessBlock) bool   { return p.BlockPublicAcls }
func blockPolicy(p PublicAccessBlock) bool { return p.BlockPublicPolicy }

// call names the API call that fills a snapshot path and the permission the
// auditing role needs for it, so a reason about an unknown says what to fix.
type call struct{ api, permission string }

var calls = map[string]call{
	"accountPublicAccessBlock": {"s3control GetPublicAccessBlock",
		"s3:GetAccountPublicAccessBlock"},
	"bucketPublicAccessBlock": {"GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
	"policy":                  {"GetBucketPolicy", "s3:GetBucketPolicy"},
	"policyStatus":            {"GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"},
	"acl":                     {"GetBucketAcl", "s3:GetBucketAcl"},
	"ownership":               {"GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"},
	"website":                 {"GetBucketWebsite", "s3:GetBucketWebsite"},
	"accessPoints":            {"ListAccessPoints", "s3:ListAccessPoints"},
	".policy":                 {"GetAccessPointPolicy", "s3:GetAccessPointPolicy"},
	".publicAccessBlock":      {"GetAccessPoint", "s3:GetAccessPoint"},
}

// apPath is the snapshot path of an access point's field, as the errors
// map spells it.
func apPath(name, field string) string {
	return fmt.Sprintf("accessPoints[%s].%s", name, field)
}

func callFor(path string) (call, bool) {
	if c, ok := calls[path]; ok {
		return c, true
	}
	if strings.HasPrefix(path, "accessPoints[") {
		if i := strings.LastIndex(path, "]"); i > 0 {
			c, ok := calls[path[i+1:]]
			return c, ok
		}
	}
	return call{}, false
}

// needs is the fix for an unknown signal: the permission to give.
func needs(path string) string {
	c, _ := callFor(path)
	return fmt.Sprintf("give the auditing role %s", c.permission)
}

// errorNotes explains every failed call in path order, and points out
// errors on paths the engine does not know, which it cannot weigh.
func errorNotes(errs map[string]string, listed map[string]bool) []string {
	paths := make([]string, 0, len(errs))
	for p := range errs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []string
	for _, p := range paths {
		c, ok := callFor(p)
		if ok && strings.HasPrefix(p, "accessPoints[") && !listed[apName(p)] {
			ok = false
		}
		if !ok {
			out = append(out, strayError(errs[p], p))
			continue
		}
		out = append(out, fmt.Sprintf("%s answered %s, so %s is unknown (%s)",
			c.api, errs[p], p, needs(p)))
	}
	return out
}

// strayError explains an error on a path the engine does not read, so it
// is seen rather than silently dropped.
func strayError(code, path string) string {
	return fmt.Sprintf("error %s at %s is on no path this engine weighs", code, path)
}

func apName(path string) string {
	rest := strings.TrimPrefix(path, "accessPoints[")
	if i := strings.LastIndex(rest, "]"); i >= 0 {
		return rest[:i]
	}
	return ""
}
