import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  /** Idempotency key of the delivery, also sent as a header for the receiving side. */
  key: string;
}

/** How long one SMTP send may take at most; a delivery's lease is longer, so a live send never overlaps another. */
export const SMTP_TIMEOUT_MS = 60_000;

/** E-mail through SMTP with nodemailer when SMTP_URL is set; without it notifications stay in the inbox. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly transport: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.mail.smtpUrl
      ? createTransport({ url: config.mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: SMTP_TIMEOUT_MS, disableFileAccess: true, disableUrlAccess: true })
      : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** Links in mails start here (PUBLIC_URL). */
  get publicUrl(): string {
    return this.config.mail.publicUrl;
  }

  /** The host part of our Message-IDs. */
  get domain(): string {
    return new URL(this.config.mail.publicUrl).hostname || 'contingent';
  }

  /** Sends one mail; resolves once the server accepted it (its 250 reply to the data). */
  async send(mail: Mail): Promise<void> {
    if (!this.transport) throw new Error('no SMTP_URL is configured');
    await this.transport.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId, headers: { 'X-Contingent-Delivery': mail.key } });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
