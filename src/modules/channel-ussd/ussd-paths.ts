/** Addresses of the USSD channel. */
export const ussdPaths = {
  /** The gateway endpoint pattern; the aggregator is given gateway(token). */
  gatewayPattern: '/ussd/africastalking/:token',
  gateway: (token: string) => `/ussd/africastalking/${token}`,
  /** Development only: the phone screen in a browser. */
  simulator: '/ussd/simulator',
} as const;

/** The code the simulator shows being dialled (a real one is given by the aggregator). */
export const simulatorServiceCode = '*384*222#';
