package exposure

import "testing"

// A statement is non-public only when a fixed value of a restricting key
// confines it; everything else about a condition leaves it public.
func TestRestrictingConditions(t *testing.T) {
	tests := []struct {
		name      string
		condition string
		verdict   Outcome
	}{
		{"SourceVpce", `{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`, NotPublic},
		{"SourceVpc", `{"StringEquals":{"aws:SourceVpc":"vpc-1"}}`, NotPublic},
		{"SourceArn", `{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:1:trail/t"}}`,
			NotPublic},
		{"SourceAccount", `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`, NotPublic},
		{"SourceOwner", `{"StringEquals":{"aws:SourceOwner":"111122223333"}}`, NotPublic},
		{"PrincipalOrgID", `{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`, NotPublic},
		{"PrincipalAccount", `{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}`, NotPublic},
		{"PrincipalArn", `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::1:role/r"}}`, NotPublic},
		{"userid fixed", `{"StringEquals":{"aws:userid":"AIDAEXAMPLE"}}`, NotPublic},
		{"userid role pattern", `{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}`, Public},
		{"DataAccessPointAccount", `{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}`,
			NotPublic},
		{"DataAccessPointArn any name fixed account",
			`{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-east-1:111122223333:accesspoint/*"}}`,
			NotPublic},
		{"DataAccessPointArn any account",
			`{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-east-1:*:accesspoint/*"}}`, Public},
		{"KMS key id", `{"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":` +
			`"arn:aws:kms:us-east-1:1:key/k"}}`, NotPublic},
		{"key case-insensitive", `{"StringEquals":{"AWS:SOURCEVPCE":"vpce-1"}}`, NotPublic},
		{"list of fixed values", `{"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}`, NotPublic},
		{"one wildcard value", `{"StringLike":{"aws:SourceVpce":["vpce-1","vpce-*"]}}`, Public},
		{"policy variable", `{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}`, Public},
		{"PrincipalArn wildcard", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/r"}}`, Public},
		{"IfExists", `{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, Public},
		{"ForAllValues", `{"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}}`, Public},
		{"ForAnyValue", `{"ForAnyValue:StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`, NotPublic},
		{"negated in Allow", `{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, Public},
		{"not a restricting key", `{"Bool":{"aws:SecureTransport":"true"}}`, Public},
		{"Null test", `{"Null":{"aws:SourceVpce":"false"}}`, Public},
		{"AND: one restricting key is enough",
			`{"Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:SourceVpce":"vpce-1"}}`,
			NotPublic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openBucket()
			b.Policy = policyDoc(allowStar(`"s3:GetObject"`, tt.condition))
			check(t, EvaluateS3(b), want{verdict: tt.verdict})
		})
	}
}

func TestSourceIPRanges(t *testing.T) {
	tests := []struct {
		ranges  string
		verdict Outcome
	}{
		{`"203.0.113.0/24"`, NotPublic},
		{`"10.0.0.0/8"`, NotPublic},
		{`"10.0.0.0/7"`, Public},
		{`"0.0.0.0/1"`, Public},
		{`"0.0.0.0/0"`, Public},
		{`"198.51.100.7"`, NotPublic},
		{`"2001:db8::/32"`, NotPublic},
		{`"2001:db8::/31"`, Public},
		{`"::/0"`, Public},
		{`"::ffff:10.0.0.0/104"`, NotPublic},
		{`"::ffff:0.0.0.0/97"`, Public},
		{`["10.0.0.0/8","0.0.0.0/1"]`, Public},
		{`"not-an-address"`, Public},
	}
	for _, tt := range tests {
		t.Run(tt.ranges, func(t *testing.T) {
			b := openBucket()
			b.Policy = policyDoc(allowStar(`"s3:GetObject"`,
				`{"IpAddress":{"aws:SourceIp":`+tt.ranges+`}}`))
			check(t, EvaluateS3(b), want{verdict: tt.verdict})
		})
	}
}
