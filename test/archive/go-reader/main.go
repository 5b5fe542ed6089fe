// Reads an archive the way cocoon does (Go's archive/tar and compress/gzip,
// COCOON.sparse.map segments copied to their offsets of a file truncated to
// COCOON.sparse.size) and writes the files into a directory, so the test can
// compare them with the source byte for byte. Standard library only: it must
// build offline.
//
// Usage: go-reader ARCHIVE OUTDIR
// Prints one JSON object: the gzip header's Extra field of the first member
// (hex), and per entry its name, mode, real size, segment count and PAX bytes.
package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

type segment struct {
	Offset int64 `json:"o"`
	Length int64 `json:"l"`
}

type entry struct {
	Name     string `json:"name"`
	Mode     int64  `json:"mode"`
	Size     int64  `json:"size"`
	Segments int    `json:"segments"`
	Sparse   bool   `json:"sparse"`
	PaxBytes int    `json:"paxBytes"`
}

type report struct {
	Gzip    bool    `json:"gzip"`
	Extra   string  `json:"extra"`
	Entries []entry `json:"entries"`
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: go-reader ARCHIVE OUTDIR")
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fail("open: %v", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var r io.Reader = br
	rep := report{}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			fail("gzip: %v", err)
		}
		rep.Gzip = true
		rep.Extra = hex.EncodeToString(gz.Header.Extra)
		r = gz
	}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail("tar next: %v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			fail("entry %q has type %q", hdr.Name, hdr.Typeflag)
		}
		e := entry{Name: hdr.Name, Mode: hdr.Mode, Size: hdr.Size}
		for k, v := range hdr.PAXRecords {
			e.PaxBytes += len(k) + len(v)
		}
		out, err := os.OpenFile(filepath.Join(os.Args[2], filepath.Base(hdr.Name)), os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
		if err != nil {
			fail("create: %v", err)
		}
		if mapJSON, ok := hdr.PAXRecords["COCOON.sparse.map"]; ok {
			var segs []segment
			if err := json.Unmarshal([]byte(mapJSON), &segs); err != nil {
				fail("sparse map of %s: %v", hdr.Name, err)
			}
			size, err := strconv.ParseInt(hdr.PAXRecords["COCOON.sparse.size"], 10, 64)
			if err != nil {
				fail("sparse size of %s: %v", hdr.Name, err)
			}
			if err := out.Truncate(size); err != nil {
				fail("truncate: %v", err)
			}
			for _, s := range segs {
				if _, err := out.Seek(s.Offset, io.SeekStart); err != nil {
					fail("seek: %v", err)
				}
				if _, err := io.CopyN(out, tr, s.Length); err != nil {
					fail("copy segment of %s at %d: %v", hdr.Name, s.Offset, err)
				}
			}
			e.Size, e.Segments, e.Sparse = size, len(segs), true
		} else if _, err := io.Copy(out, tr); err != nil {
			fail("copy %s: %v", hdr.Name, err)
		}
		if err := out.Close(); err != nil {
			fail("close: %v", err)
		}
		rep.Entries = append(rep.Entries, e)
	}
	// The whole gzip stream, trailers included, must have been consumed without error.
	if _, err := io.Copy(io.Discard, r); err != nil {
		fail("after the end marker: %v", err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		fail("encode: %v", err)
	}
}
