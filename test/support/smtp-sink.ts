import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

/** A mail the sink accepted (answered 250 to its data): envelope, headers and decoded text. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  deliveryKey: string;
  text: string;
  raw: string;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) in a header. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_w, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
  );
}

function decodeQp(text: string): string {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < input.length; i++) {
    const hex = input.slice(i + 1, i + 3);
    if (input[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(input[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string): string => {
    const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line ? decodeWords(line.slice(name.length + 1).trim()) : '';
  };
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQp(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { ...envelope, subject: header('Subject'), messageId: header('Message-ID'), deliveryKey: header('X-Contingent-Delivery'), text: text.replace(/\r\n/g, '\n'), raw };
}

/**
 * A real SMTP server in the test process (smtp-server), on a free port. It keeps a mail only once
 * it answered 250 to its data, as a server takes responsibility for a message (RFC 5321 §4.1.1.4);
 * `holdNext()` makes it sit on the next mail without answering, as a slow server would, so a test
 * can kill the sending worker mid-send.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Mails whose data arrived but whose sender went away before the answer. */
  readonly dropped: ReceivedMail[] = [];
  private holding = 0;
  private failing: { count: number; code: number } = { count: 0, code: 451 };
  private readonly held = new Map<string, ReceivedMail>();
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
          const mail = parseMail(Buffer.concat(chunks).toString('utf8'), envelope);
          if (this.failing.count > 0) {
            this.failing.count--;
            const error = Object.assign(new Error('Try again later'), { responseCode: this.failing.code });
            callback(error);
            return;
          }
          if (this.holding > 0) {
            this.holding--;
            this.held.set(session.id, mail);
            return;
          }
          this.mails.push(mail);
          callback(null);
        });
      },
      onClose: (session: SMTPServerSession) => {
        const mail = this.held.get(session.id);
        if (mail) {
          this.held.delete(session.id);
          this.dropped.push(mail);
        }
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Refuses the next `count` mails with this reply code (4xx: try again later). */
  failNext(count: number, code: number): void {
    this.failing = { count, code };
  }

  holdNext(): void {
    this.holding++;
  }

  get heldCount(): number {
    return this.held.size;
  }

  async waitFor(count: number, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    const until = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      if (Date.now() > until) throw new Error(`the SMTP sink got ${this.mails.length} mail(s), not ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.mails;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
