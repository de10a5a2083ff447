package exposure

import (
	"fmt"
	"strings"
)

// judgeAccessPoints weighs each access point: a request through one is
// masked by the account's, the bucket's and that access point's flags, and
// succeeds only when both its policy and the bucket policy allow it.
func (e *s3Eval) judgeAccessPoints() {
	if err := e.b.Errors["accessPoints"]; err != "" {
		e.judgeUnlistedAccessPoints(err)
		return
	}
	for _, ap := range e.b.AccessPoints {
		e.judgeAccessPoint(ap)
	}
}

// judgeUnlistedAccessPoints covers a failed ListAccessPoints: any access
// point could carry a public policy, which only the bucket policy or the
// account's and bucket's RestrictPublicBuckets can rule out.
func (e *s3Eval) judgeUnlistedAccessPoints(err string) {
	m := bpa("RestrictPublicBuckets", restrictPub, e.account, e.bucket)
	ctx := requestContext{viaAccessPoint: true, account: e.b.Account}
	possible := everything
	if allowed, known := e.bucketAllowsViaAccessPoint(ctx); known {
		possible = accessOf(allowed)
		if !possible.any {
			e.t.note("access points are unknown (%s), but the bucket policy lets no "+
				"request from everyone through any of them", err)
			return
		}
	}
	e.t.unknownGrant(possible, m, "the bucket's access points are unknown ("+err+")",
		needs("accessPoints"))
}

func (e *s3Eval) judgeAccessPoint(ap AccessPoint) {
	name := "access point " + ap.Name
	if strings.EqualFold(ap.NetworkOrigin, "VPC") {
		e.t.note("%s accepts requests only from its VPC", name)
		return
	}
	own := scope{name, ap.PublicAccessBlock, e.b.Errors[apPath(ap.Name, "publicAccessBlock")]}
	m := bpa("RestrictPublicBuckets", restrictPub, e.account, e.bucket, own)
	ctx := requestContext{viaAccessPoint: true, account: e.b.Account, apName: ap.Name}
	bucketSide, bucketKnown := e.bucketAllowsViaAccessPoint(ctx)
	apAllowed, ok := e.accessPointPolicy(ap, name, m, bucketSide, bucketKnown)
	if !ok {
		return
	}
	if !bucketKnown {
		what := fmt.Sprintf("%s policy grants everyone %s and the bucket policy is unknown",
			name, accessOf(apAllowed).describe())
		e.t.unknownGrant(accessOf(apAllowed), m, what, needs("policy"))
		return
	}
	both := apAllowed.intersect(bucketSide)
	if len(apAllowed) > 0 && len(both) == 0 {
		e.t.note("%s policy grants everyone %s, but the bucket policy lets none of it through",
			name, strings.Join(apAllowed.sorted(), ", "))
	}
	e.t.grant(accessOf(both), m, name+" (its policy and the bucket policy both allow everyone)")
}

// accessPointPolicy reads an access point's policy grant to everyone. ok is
// false when there is nothing more to weigh: no policy, or an unknown one
// already recorded.
func (e *s3Eval) accessPointPolicy(ap AccessPoint, name string, m mask,
	bucketSide actionSet, bucketKnown bool) (actionSet, bool) {
	path := apPath(ap.Name, "policy")
	possible := everything
	if bucketKnown {
		possible = accessOf(bucketSide)
	}
	if err := e.b.Errors[path]; err != "" {
		what := fmt.Sprintf("%s policy is unknown (%s)", name, err)
		e.t.unknownGrant(possible, m, what, needs(path))
		return nil, false
	}
	if ap.Policy == nil {
		return nil, false
	}
	p, err := ParsePolicy(*ap.Policy)
	if err != nil {
		e.t.unknownGrant(possible, m, fmt.Sprintf("%s policy does not parse (%v)", name, err),
			"re-collect the policy")
		return nil, false
	}
	ctx := requestContext{viaAccessPoint: true, account: e.b.Account, apName: ap.Name}
	g := evaluatePolicy(p, ctx, name+" policy")
	e.t.reasons = append(e.t.reasons, g.notes...)
	return g.allowed, true
}
