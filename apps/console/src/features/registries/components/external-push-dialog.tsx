import { useTranslation } from '@/lib/use-translation';
import { CommandList } from '@/components/ui/command-list';
import { Dialog } from '@/components/ui/dialog';
import { externalPushCommands } from '../lib/external';

const CLIENTS = ['docker', 'podman'] as const;

/**
 * How to push to an external registry yourself: log in with its own account (the password is
 * typed at the prompt, never part of the command), tag and push, for docker and podman.
 * `target` is the image name in that registry (`IMAGE` where it is yours to fill in).
 */
export function ExternalPushDialog({
  host,
  target,
  username,
  open,
  onOpenChange,
}: {
  host: string;
  target: string;
  username: string | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const commands = externalPushCommands(host, target, username);
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t('registries.push.title', { target: `${host}/${target}` })} description={t('registries.push.description')} size="lg">
      <div className="command-sections">
        {CLIENTS.map((client) => (
          <section key={client} aria-labelledby={`external-push-${client}`}>
            <h3 id={`external-push-${client}`} className="command-section-title">
              {t(`push.section.${client}`)}
            </h3>
            <CommandList
              testId={`external-push-${client}`}
              items={commands
                .filter((c) => c.client === client)
                .map((c) => {
                  const label = t(`push.step.${c.step}`);
                  return { label, command: c.command, copyLabel: t('push.copy', { client, what: label }) };
                })}
            />
          </section>
        ))}
      </div>
    </Dialog>
  );
}
