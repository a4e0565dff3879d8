// Command loadtest sends HTTP GET requests at a fixed rate to a running
// Inwonercloud and reports the latencies it saw:
//
//	loadtest [-rate 500] [-duration 30s] [-warmup 5s] [-max-p99 20ms] URL [URL...]
//
// It is an open-loop generator: request i is due at start + i/rate, and
// its latency is counted from that moment, not from when a free worker
// sent it. A server that falls behind therefore shows its queueing in the
// figures instead of slowing the generator down (no coordinated
// omission). The URLs are requested in turn; every answer must be
// 200 OK, anything else counts as an error. The figures of the warm-up are
// dropped. With -max-p99 the command fails when the 99th percentile is
// higher, or when any request failed.
//
// It talks only to the URLs given; tools/loadtest.sh runs it against
// the marketplace on SQLite and PostgreSQL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// result is what one request gave.
type result struct {
	due     time.Time
	latency time.Duration
	err     error
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	rate := fs.Int("rate", 500, "requests per second")
	duration := fs.Duration("duration", 30*time.Second, "how long to measure, after the warm-up")
	warmup := fs.Duration("warmup", 5*time.Second, "how long to send before measuring")
	workers := fs.Int("workers", 256, "requests in flight at most")
	maxP99 := fs.Duration("max-p99", 0, "fail when the 99th percentile is above this (0: report only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	urls := fs.Args()
	if len(urls) == 0 {
		return errors.New("no URL given")
	}
	if *rate < 1 || *workers < 1 || *duration <= 0 || *warmup < 0 {
		return errors.New("-rate, -workers and -duration must be positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        *workers,
			MaxIdleConnsPerHost: *workers,
			IdleConnTimeout:     time.Minute,
		},
	}
	total := int((*warmup + *duration).Seconds() * float64(*rate))
	interval := time.Second / time.Duration(*rate)
	jobs := make(chan int, total)
	results := make([]result, total)
	start := time.Now().Add(50 * time.Millisecond)

	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				due := start.Add(time.Duration(i) * interval)
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				}
				err := get(ctx, client, urls[i%len(urls)])
				results[i] = result{due: due, latency: time.Since(due), err: err}
			}
		}()
	}
	// Hand out the work in order, each request shortly before it is due,
	// so a worker never sleeps on a request far in the future while an
	// earlier one waits.
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due) - 20*time.Millisecond; d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	measured := start.Add(*warmup)
	var lat []time.Duration
	var failed int
	var firstErr error
	var sent int
	for _, r := range results {
		if r.due.IsZero() || r.due.Before(measured) {
			continue
		}
		sent++
		if r.err != nil {
			failed++
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		lat = append(lat, r.latency)
	}
	if len(lat) == 0 {
		return fmt.Errorf("no successful request (first error: %v)", firstErr)
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Fprintf(stdout, "requests %d at %d/s over %s (%d URLs), failed %d\n", sent, *rate, *duration, len(urls), failed)
	fmt.Fprintf(stdout, "latency p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
		round(pct(0.50)), round(pct(0.90)), round(pct(0.99)), round(pct(0.999)), round(lat[len(lat)-1]))
	if failed > 0 && firstErr != nil {
		fmt.Fprintf(stdout, "first error: %v\n", firstErr)
	}
	if *maxP99 > 0 {
		if failed > 0 {
			return fmt.Errorf("%d requests failed", failed)
		}
		if p := pct(0.99); p > *maxP99 {
			return fmt.Errorf("p99 %s is above %s", round(p), *maxP99)
		}
	}
	return nil
}

// get fetches url and reads the whole answer; anything but 200 is an error.
func get(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

func round(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(10 * time.Microsecond)
}
