/** The little of autocannon's API the search benchmark uses (the package ships no types). */
declare module 'autocannon' {
  type RequestParams = { method?: string; path?: string; headers?: Record<string, string> };
  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    requests?: { setupRequest?: (request: RequestParams) => RequestParams }[];
  };
  type Result = {
    requests: { total: number; average: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
  };
  type Instance = {
    on: (
      event: 'response',
      listener: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void,
    ) => void;
  };
  function autocannon(
    options: Options,
    done: (error: Error | null | undefined, result: Result) => void,
  ): Instance;
  export default autocannon;
}
