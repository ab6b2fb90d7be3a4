import { useTranslation } from '@/lib/use-translation';
import { CommandList } from '@/components/ui/command-list';
import { Dialog } from '@/components/ui/dialog';
import { pushCommands, type PushClient } from './push-commands';

const STEP_LABEL = {
  docker: { login: 'push.step.login', tag: 'push.step.tag', push: 'push.step.push' },
  podman: { login: 'push.step.login', tag: 'push.step.tag', push: 'push.step.push' },
  helm: { login: 'push.step.helmLogin', tag: 'push.step.tag', push: 'push.step.helmPush' },
  oras: { login: 'push.step.orasLogin', tag: 'push.step.tag', push: 'push.step.orasPush' },
} as const;

const SECTIONS: { clients: PushClient[]; title: 'docker' | 'podman' | 'oci' }[] = [
  { clients: ['docker'], title: 'docker' },
  { clients: ['podman'], title: 'podman' },
  { clients: ['helm', 'oras'], title: 'oci' },
];

/** The commands to push images and OCI artifacts into a repository, each with a copy button. */
export function PushCommandDialog({
  repository,
  host,
  open,
  onOpenChange,
}: {
  repository: string;
  host: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const commands = pushCommands(host, repository);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t('push.title', { repository })}
      description={t('push.description', { repository })}
      size="lg"
    >
      <div className="command-sections">
        {SECTIONS.map((section) => (
          <section key={section.title} aria-labelledby={`push-${section.title}`}>
            <h3 id={`push-${section.title}`} className="command-section-title">
              {t(`push.section.${section.title}`)}
            </h3>
            <CommandList
              testId={`push-${section.title}`}
              items={commands
                .filter((c) => section.clients.includes(c.client))
                .map((c) => {
                  const label = t(STEP_LABEL[c.client][c.step]);
                  return { label, command: c.command, copyLabel: t('push.copy', { client: c.client, what: label }) };
                })}
            />
          </section>
        ))}
      </div>
    </Dialog>
  );
}
