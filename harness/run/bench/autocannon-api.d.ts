/** The part of autocannon 9's API the driver benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    overallRate?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds. */
    timeout?: number;
    ignoreCoordinatedOmission?: boolean;
  }
  interface AutocannonResult {
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  interface AutocannonInstance {
    /** `responseTime` in fractional ms, from process.hrtime around each request. */
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
  }
  function autocannon(options: AutocannonOptions, done: (err: Error | null, result: AutocannonResult) => void): AutocannonInstance;
  export default autocannon;
}
