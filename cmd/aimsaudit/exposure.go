package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/exposure"
)

func newExposureCmd() *cobra.Command {
	var snapshot, format string
	cmd := &cobra.Command{
		Use:   "exposure",
		Short: "Whether a storage resource is public, judged from a sweep's snapshot",
		Long: "Re-derives the exposure verdict of one S3 bucket or Azure blob container from\n" +
			"the snapshot a sweep collected: Block Public Access, policies, ACLs, object\n" +
			"ownership and access points for S3; allowBlobPublicAccess, the container level,\n" +
			"static website and network settings for Azure.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExposure(cmd.OutOrStdout(), snapshot, format)
		},
	}
	cmd.Flags().StringVar(&snapshot, "snapshot", "", "snapshot JSON file of one resource")
	cmd.Flags().StringVar(&format, "format", "json", "json or table")
	return cmd
}

func runExposure(out io.Writer, snapshot, format string) error {
	if snapshot == "" {
		return badinput.Errorf("", 0, "--snapshot", "required")
	}
	if format != "json" && format != "table" {
		return badinput.Errorf("", 0, "--format", "%q is neither json nor table", format)
	}
	data, err := os.ReadFile(snapshot)
	if err != nil {
		return badinput.Errorf(snapshot, 0, "--snapshot", "%w", err)
	}
	snap, err := exposure.Decode(data, snapshot)
	if err != nil {
		return err
	}
	v := exposure.Evaluate(snap)
	if format == "table" {
		return writeExposureTable(out, v)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeExposureTable prints the verdict as aligned key-value lines followed
// by the reasons, for a person reading a terminal.
func writeExposureTable(out io.Writer, v exposure.Verdict) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	rows := [][2]string{
		{"resource", v.Resource}, {"verdict", string(v.Verdict)},
		{"read", tableFlag(v.Read)}, {"write", tableFlag(v.Write)}, {"list", tableFlag(v.List)},
		{"latent", fmt.Sprint(v.Latent)}, {"latentAccess", tableLatent(v.LatentAccess)},
		{"network", tableString(v.Network)},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "reasons:")
	for _, r := range v.Reasons {
		fmt.Fprintf(out, "  - %s\n", r)
	}
	return nil
}

func tableFlag(b *bool) string {
	if b == nil {
		return "unknown"
	}
	return fmt.Sprint(*b)
}

func tableString(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func tableLatent(a *exposure.Access) string {
	if a == nil {
		return "-"
	}
	return fmt.Sprintf("read=%t write=%t list=%t", a.Read, a.Write, a.List)
}
