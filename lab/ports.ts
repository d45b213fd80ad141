// Free TCP ports on loopback for the labs' servers.
import * as net from "node:net";

/** A free TCP port on 127.0.0.1 (the kernel picks it; it is free when this returns). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
