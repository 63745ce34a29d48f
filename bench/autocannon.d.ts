// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  type Histogram = { average: number; p50: number; p97_5: number; p99: number };
  type Result = { requests: Histogram & { total: number }; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number };
  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: { method?: string; setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }[];
  };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
